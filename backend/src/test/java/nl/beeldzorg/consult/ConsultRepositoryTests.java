package nl.beeldzorg.consult;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.ConnectionFactory;
import nl.beeldzorg.security.Discipline;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consult repository on a migrated database: every state change is conditional, so
 * concurrent callers get exactly one winner. Run on H2 and on PostgreSQL by the
 * subclasses.
 */
abstract class ConsultRepositoryTests {

	private ConsultRepository consults;

	private TransactionalOperator tx;

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

	/**
	 * @return the JDBC URL of an empty database
	 */
	abstract String jdbcUrl();

	abstract String user();

	/**
	 * @return the same database through R2DBC
	 */
	abstract ConnectionFactory connectionFactory();

	@BeforeEach
	void migrate() {
		Flyway.configure().dataSource(jdbcUrl(), user(), "").locations("classpath:db/migration").load().migrate();
		ConnectionFactory factory = connectionFactory();
		this.consults = new ConsultRepository(DatabaseClient.create(factory));
		this.tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
	}

	@Test
	void insertedConsultReadsBackWithEveryField() {
		Consult consult = consult("key-1");
		Consult read = run(this.consults.insert(consult).then(this.consults.findById(consult.id())));
		assertThat(read).isEqualTo(consult);
		assertThat(run(this.consults.findByIdempotencyKey("nurse", "key-1")).id()).isEqualTo(consult.id());
	}

	@Test
	void idempotencyKeyIsUniquePerRequesterButManyConsultsHaveNone() {
		run(this.consults.insert(consult("same")));
		assertThat(error(this.consults.insert(consult("same"))))
			.isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
		run(this.consults.insert(consult(null)));
		run(this.consults.insert(consult(null)));
	}

	@Test
	void twoConcurrentAcceptsHaveExactlyOneWinner() {
		for (int round = 0; round < 5; round++) {
			Consult consult = consult(null);
			run(this.consults.insert(consult));
			List<Boolean> won = Flux.just("so-1", "so-2")
				.flatMap(
						(so) -> this.tx.transactional(this.consults.accept(consult, so, Discipline.SO, "zga", this.now))
							.subscribeOn(Schedulers.boundedElastic()))
				.collectList()
				.block(java.time.Duration.ofSeconds(30));
			assertThat(won).containsExactlyInAnyOrder(true, false);
			Consult accepted = run(this.consults.findById(consult.id()));
			assertThat(accepted.state()).isEqualTo(ConsultState.ACTIVE);
			assertThat(accepted.consultantId()).isIn("so-1", "so-2");
			assertThat(accepted.version()).isEqualTo(1);
		}
	}

	@Test
	void stateChangesFromTheWrongStateChangeNothing() {
		Consult consult = consult(null);
		run(this.consults.insert(consult));
		assertThat(run(this.consults.finish(consult, ConsultState.ACTIVE, ConsultState.ENDED, this.now))).isFalse();
		assertThat(run(this.consults.accept(consult, "so-1", Discipline.SO, "zga", this.now))).isTrue();
		Consult active = run(this.consults.findById(consult.id()));
		assertThat(run(this.consults.accept(consult, "so-2", Discipline.SO, "zga", this.now))).isFalse();
		assertThat(run(this.consults.finish(active, ConsultState.ACTIVE, ConsultState.ENDED, this.now))).isTrue();
		assertThat(run(this.consults.finish(active, ConsultState.ACTIVE, ConsultState.ENDED, this.now))).isFalse();
	}

	@Test
	void inboxListsOnlyConsultsStillRingingForTheUser() {
		Consult ringing = consult(null);
		Consult declined = consult(null);
		run(this.consults.insert(ringing)
			.then(this.consults.insert(declined))
			.then(this.consults.insertRing(ringing.id(), "so-1", Discipline.SO, this.now))
			.then(this.consults.insertRing(declined.id(), "so-1", Discipline.SO, this.now))
			.then(this.consults.respondToRing(declined.id(), "so-1", Ring.RingState.DECLINED, this.now)));
		List<UUID> inbox = this.consults.ringingFor("so-1").map(Consult::id).collectList().block();
		assertThat(inbox).containsExactly(ringing.id());
		assertThat(run(this.consults.respondToRing(declined.id(), "so-1", Ring.RingState.ACCEPTED, this.now)))
			.isFalse();
	}

	@Test
	void joinsAreCountedPerUser() {
		Consult consult = consult(null);
		run(this.consults.insert(consult));
		assertThat(run(this.consults.hasJoined(consult.id(), "nurse"))).isFalse();
		run(this.consults.recordJoin(consult.id(), "nurse", this.now)
			.then(this.consults.recordJoin(consult.id(), "nurse", this.now)));
		assertThat(run(this.consults.hasJoined(consult.id(), "nurse"))).isTrue();
		assertThat(run(this.consults.hasJoined(consult.id(), "so"))).isFalse();
	}

	private Consult consult(String key) {
		return new Consult(UUID.randomUUID(), ConsultKind.BEDSIDE, ConsultState.RINGING, 0, "zga", "zga-de-sprengel",
				"K-4711", "Wond hiel?", Urgency.URGENT, Discipline.SO, "nurse", Discipline.NURSE, null, null, key,
				(key != null) ? "hash" : null, this.now, null, null, null, 0, this.now.plusSeconds(60), null, null);
	}

	private <T> T run(Mono<T> work) {
		return work.subscribeOn(Schedulers.boundedElastic()).block(java.time.Duration.ofSeconds(30));
	}

	private Throwable error(Mono<?> work) {
		try {
			run(work);
		}
		catch (RuntimeException ex) {
			return ex;
		}
		throw new AssertionError("no error");
	}

}
