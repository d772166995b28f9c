package nl.beeldzorg.consult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.BeeldzorgProperties;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.Rounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Looks, on every node and every few seconds, for ringing consults whose deadline passed,
 * and escalates each in its own transaction. Deadlines live in the database, so a restart
 * loses nothing; the conditional stage change makes two nodes escalate once.
 */
@Component
class Escalator {

	private static final Logger logger = LoggerFactory.getLogger(Escalator.class);

	/**
	 * A round that takes longer gives up, so a database that stopped answering mid-round
	 * cannot stall the escalator: the next round starts over (deadlines live in the
	 * database, so nothing is skipped).
	 */
	static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

	private static final CurrentUser SYSTEM = new CurrentUser(Escalation.ACTOR, "Beeldzorg", null, null, null,
			Set.of());

	private final ConsultRepository consults;

	private final Escalation escalation;

	private final ConsultViews views;

	private final ConsultEvents events;

	private final RingNotifier notifier;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final BeeldzorgProperties.Routing routing;

	private final Counter roundsDone;

	private final Counter roundsFailed;

	private Disposable ticking = () -> {
	};

	Escalator(ConsultRepository consults, Escalation escalation, ConsultViews views, ConsultEvents events,
			RingNotifier notifier, TransactionalOperator tx, DatabaseScheduler scheduler, Clock clock,
			BeeldzorgProperties properties, MeterRegistry registry) {
		this.consults = consults;
		this.escalation = escalation;
		this.views = views;
		this.events = events;
		this.notifier = notifier;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
		this.routing = properties.routing();
		this.roundsDone = Counter.builder("beeldzorg.escalation.rounds")
			.tag("outcome", "done")
			.description("Escalation rounds of this node that completed")
			.register(registry);
		this.roundsFailed = Counter.builder("beeldzorg.escalation.rounds")
			.tag("outcome", "failed")
			.description("Escalation rounds of this node that failed (the next round retries)")
			.register(registry);
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.ticking = Rounds.every(this.routing.escalationInterval(),
				() -> escalateDue().timeout(ROUND_TIMEOUT)
					.doOnSuccess((moved) -> this.roundsDone.increment())
					.doOnError((ex) -> this.roundsFailed.increment()),
				logger, "Escalation round");
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.ticking.dispose();
	}

	/**
	 * One round: every consult whose ring timed out moves to its next stage (or MISSED);
	 * every booked consult whose moment came starts ringing.
	 * @return how many consults this node moved
	 */
	Mono<Integer> escalateDue() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		return this.scheduler.run(this.consults.dueForEscalation(now).collectList())
			.flatMapMany(Flux::fromIterable)
			.concatMap((id) -> escalate(id, now))
			.filter((moved) -> moved)
			.count()
			.map(Long::intValue);
	}

	private Mono<Boolean> escalate(UUID id, Instant now) {
		Mono<Moved> change = this.consults.lock(id)
			.filter((consult) -> (consult.state() == ConsultState.RINGING || consult.state() == ConsultState.SCHEDULED)
					&& consult.ringDeadline() != null && !consult.ringDeadline().isAfter(now))
			.flatMap((consult) -> ((consult.state() == ConsultState.SCHEDULED) ? this.escalation.start(consult, now)
					: this.escalation.advance(consult, now, "nobody answered within the ring timeout"))
				.map((step) -> new Moved(consult.id(), step)));
		return this.scheduler.run(this.tx.transactional(change))
			.flatMap((moved) -> announce(moved.consultId(), moved.step())
				.thenReturn(moved.step().kind() != Escalation.Step.Kind.NONE))
			.defaultIfEmpty(false);
	}

	/**
	 * Tells everyone concerned what an escalation did, after its transaction committed.
	 * @param consultId the consult
	 * @param step what happened
	 * @return done
	 */
	Mono<Void> announce(UUID consultId, Escalation.Step step) {
		if (step.kind() == Escalation.Step.Kind.NONE) {
			return Mono.empty();
		}
		return this.scheduler.run(this.consults.findById(consultId))
			.flatMap((consult) -> this.views.view(consult, SYSTEM).doOnNext((view) -> {
				List<String> told = new ArrayList<>(step.stopped());
				told.add(consult.requestedBy());
				if (step.kind() == Escalation.Step.Kind.MISSED) {
					this.events.publish(ConsultEvents.MISSED, view, told);
				}
				else if (step.kind() == Escalation.Step.Kind.STARTED) {
					this.events.publish(ConsultEvents.STARTED, view, List.of(consult.requestedBy()));
					this.events.publish(ConsultEvents.RINGING, view, step.rung());
					this.notifier.ring(view, step.rung());
				}
				else {
					this.events.publish(ConsultEvents.ESCALATED, view, told);
					this.events.publish(ConsultEvents.RINGING, view, step.rung());
					this.notifier.ring(view, step.rung());
				}
			}))
			.then();
	}

	private record Moved(UUID consultId, Escalation.Step step) {
	}

}
