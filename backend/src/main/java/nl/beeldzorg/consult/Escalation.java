package nl.beeldzorg.consult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.ledger.LedgerService;
import nl.beeldzorg.routing.Router;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.BeeldzorgProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Moves a ringing consult along its ring plan: the stage ringing now stops, the next one
 * rings with a new deadline, and after the last stage the consult is MISSED. Runs inside
 * the caller's transaction on a locked consult; the stage change is conditional on the
 * consult's version and stage, so two nodes escalating at once move it exactly once.
 */
@Component
class Escalation {

	/** The actor of escalations in the audit trail. */
	static final String ACTOR = "system:escalation";

	private final ConsultRepository consults;

	private final AuditTrail audit;

	private final LedgerService ledger;

	private final BeeldzorgProperties.Routing routing;

	private final Router router;

	Escalation(ConsultRepository consults, AuditTrail audit, LedgerService ledger, BeeldzorgProperties properties,
			Router router) {
		this.router = router;
		this.consults = consults;
		this.audit = audit;
		this.ledger = ledger;
		this.routing = properties.routing();
	}

	/**
	 * @param urgency how soon
	 * @return how long one stage rings
	 */
	Duration ringTimeout(Urgency urgency) {
		return switch (urgency) {
			case ROUTINE -> this.routing.ringTimeoutRoutine();
			case URGENT -> this.routing.ringTimeoutUrgent();
			case EMERGENCY -> this.routing.ringTimeoutEmergency();
		};
	}

	/**
	 * @param consult a ringing consult, locked by the caller's transaction
	 * @param now the moment
	 * @param reason why (written to the audit trail)
	 * @return what happened
	 */
	Mono<Step> advance(Consult consult, Instant now, String reason) {
		int next = consult.ringStage() + 1;
		return this.consults.rings(consult.id())
			.collectList()
			.zipWith(this.consults.plannedStage(consult.id(), next).collectList())
			.flatMap((both) -> {
				Set<String> rungBefore = both.getT1().stream().map(Ring::userId).collect(Collectors.toSet());
				List<String> stopped = both.getT1()
					.stream()
					.filter((ring) -> ring.state() == Ring.RingState.RINGING)
					.map(Ring::userId)
					.toList();
				List<Ring> nextStage = both.getT2()
					.stream()
					.filter((ring) -> !rungBefore.contains(ring.userId()))
					.toList();
				if (nextStage.isEmpty()) {
					return missed(consult, now, reason, stopped);
				}
				return this.consults.moveToStage(consult, next, now.plus(ringTimeout(consult.urgency())))
					.flatMap(
							(moved) -> moved
									? this.consults.timeOutRings(consult.id(), now)
										.then(record(consult, AuditAction.ESCALATED, "stage " + next + ": " + reason))
										.thenMany(Flux.fromIterable(nextStage)
											.concatMap((ring) -> this.consults
												.insertRing(consult.id(), ring.userId(), ring.discipline(), now)
												.then(this.audit.append(new AuditTrail.Entry(ring.userId(), null,
														consult.institutionId(), consult.id(), AuditAction.RUNG,
														"stage " + next)))))
										.then(Mono.just(new Step(Step.Kind.ESCALATED,
												nextStage.stream().map(Ring::userId).toList(), stopped)))
									: Mono.just(Step.NONE));
			});
	}

	/**
	 * A booked consult's moment came: it rings the SO it was booked with, or else the
	 * region's SOs present now; with nobody to ring it is MISSED at once.
	 * @param consult a scheduled consult, locked by the caller's transaction
	 * @param now the moment
	 * @return what happened
	 */
	Mono<Step> start(Consult consult, Instant now) {
		Mono<List<Ring>> booked = this.consults.plannedStage(consult.id(), 0).collectList();
		return booked.flatMap((planned) -> planned.isEmpty() ? planNow(consult) : Mono.just(planned))
			.flatMap((first) -> {
				if (first.isEmpty()) {
					return missed(consult, now, "no SO of the region was available at the booked moment", List.of());
				}
				return this.consults.startScheduled(consult, now.plus(ringTimeout(consult.urgency())))
					.flatMap((started) -> started
							? Flux.fromIterable(first)
								.concatMap((ring) -> this.consults
									.insertRing(consult.id(), ring.userId(), ring.discipline(), now)
									.then(this.audit.append(new AuditTrail.Entry(ring.userId(), null,
											consult.institutionId(), consult.id(), AuditAction.RUNG, "booked moment"))))
								.then(Mono.just(new Step(Step.Kind.STARTED, first.stream().map(Ring::userId).toList(),
										List.of())))
							: Mono.just(Step.NONE));
			});
	}

	private Mono<List<Ring>> planNow(Consult consult) {
		return this.router.region(Discipline.SO, consult.requestedBy()).flatMap((plan) -> {
			List<List<Router.Candidate>> stages = plan.stages();
			return Flux.range(0, stages.size())
				.concatMap((stage) -> Flux.fromIterable(stages.get(stage))
					.concatMap((c) -> this.consults.insertPlan(consult.id(), stage, c.userId(), c.discipline())))
				.then(Mono.fromSupplier(() -> stages.isEmpty() ? List.<Ring>of()
						: stages.get(0)
							.stream()
							.map((c) -> new Ring(c.userId(), c.discipline(), Ring.RingState.RINGING))
							.toList()));
		});
	}

	private Mono<Step> missed(Consult consult, Instant now, String reason, List<String> stopped) {
		return this.consults.finish(consult, consult.state(), ConsultState.MISSED, now)
			.flatMap((done) -> done ? this.consults.timeOutRings(consult.id(), now)
				.then(record(consult, AuditAction.MISSED, reason))
				.then(this.ledger.recordLoss(consult.id(), now))
				.thenReturn(new Step(Step.Kind.MISSED, List.of(), stopped)) : Mono.just(Step.NONE));
	}

	private Mono<Void> record(Consult consult, AuditAction action, String detail) {
		return this.audit
			.append(new AuditTrail.Entry(ACTOR, null, consult.institutionId(), consult.id(), action, detail))
			.then();
	}

	/**
	 * What an escalation did.
	 *
	 * @param kind nothing, the next stage rings, or missed
	 * @param rung who rings now
	 * @param stopped who stopped ringing
	 */
	record Step(Kind kind, List<String> rung, List<String> stopped) {

		static final Step NONE = new Step(Kind.NONE, List.of(), List.of());

		Step {
			Objects.requireNonNull(kind);
		}

		enum Kind {

			NONE, ESCALATED, MISSED, STARTED

		}

	}

}
