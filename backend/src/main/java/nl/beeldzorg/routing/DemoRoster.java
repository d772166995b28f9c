package nl.beeldzorg.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import nl.beeldzorg.directory.DemoDirectory;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Flux;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Demo mode: an ANW roster to try out-of-hours routing with, once: for both subregions
 * so.sophie on call as primary SO and so.lotte as backup, from yesterday for 30 days.
 */
@Component
@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
@Order(10)
class DemoRoster implements ApplicationRunner {

	private final OnCallRoster roster;

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	DemoRoster(OnCallRoster roster, DatabaseClient db, DatabaseScheduler scheduler, Clock clock) {
		this.roster = roster;
		this.db = db;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		Instant from = this.clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
		Instant to = from.plus(Duration.ofDays(31));
		Flux<OnCallRoster.Shift> shifts = Flux.fromIterable(List.of("apeldoorn-noord", "apeldoorn-zuid"))
			.concatMap((subregion) -> Flux.just(shift(subregion, "so.sophie", OnCallRoster.Role.PRIMARY, from, to),
					shift(subregion, "so.lotte", OnCallRoster.Role.BACKUP, from, to)));
		this.scheduler
			.run(this.db.sql("SELECT COUNT(*) AS n FROM on_call_shift")
				.map((row) -> row.get("n", Long.class))
				.one()
				.filter((n) -> n == 0)
				.flatMapMany((none) -> shifts.concatMap(this.roster::add))
				.then())
			.block();
	}

	private OnCallRoster.Shift shift(String subregion, String username, OnCallRoster.Role role, Instant from,
			Instant to) {
		return new OnCallRoster.Shift(UUID.randomUUID(), subregion, Discipline.SO,
				DemoDirectory.user(username).orElseThrow().userId(), role, from, to, "zga", "demo",
				this.clock.instant());
	}

}
