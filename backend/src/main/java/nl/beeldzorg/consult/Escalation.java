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

	Escalation(ConsultRepository consults, AuditTrail audit, LedgerService ledger, BeeldzorgProperties properties) {
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

	private Mono<Step> missed(Consult consult, Instant now, String reason, List<String> stopped) {
		return this.consults.finish(consult, ConsultState.RINGING, ConsultState.MISSED, now)
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

			NONE, ESCALATED, MISSED

		}

	}

}
