package nl.beeldzorg.consult;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.routing.Router;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Stepped care in the call: a VS or PA who took a consult presses "Escalate"; the
 * institution's present SOs ring, and the one who accepts joins the same room (the VS or
 * PA stays the consult's consultant). Runs inside the caller's transaction.
 */
@Component
class SteppedCare {

	private static final Set<Discipline> FIRST_STEP = Set.of(Discipline.VS, Discipline.PA);

	private final ConsultRepository consults;

	private final Router router;

	private final AuditTrail audit;

	SteppedCare(ConsultRepository consults, Router router, AuditTrail audit) {
		this.consults = consults;
		this.router = router;
		this.audit = audit;
	}

	/**
	 * @param consult the active consult, locked
	 * @param user its consultant, a VS or PA
	 * @param now the moment
	 * @return the SOs who ring now
	 */
	Mono<List<String>> ringSos(Consult consult, CurrentUser user, Instant now) {
		if (consult.state() != ConsultState.ACTIVE || !user.userId().equals(consult.consultantId())
				|| !FIRST_STEP.contains(user.discipline()) || consult.institutionId() == null) {
			return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY,
					"Only the VS or PA in an active consult escalates it to an SO"));
		}
		return this.consults.rings(consult.id())
			.map(Ring::userId)
			.collect(Collectors.toSet())
			.zipWith(this.router.pool(consult.institutionId(), Discipline.SO, false, user.userId()))
			.flatMap((both) -> {
				List<Router.Candidate> sos = both.getT2()
					.stages()
					.stream()
					.flatMap(List::stream)
					.filter((c) -> !both.getT1().contains(c.userId()))
					.toList();
				if (sos.isEmpty()) {
					return Mono.error(new ApiException(ErrorCode.NO_CONSULTANT_AVAILABLE,
							"No SO of your institution is available now; call the SO by phone"));
				}
				return this.audit
					.append(new AuditTrail.Entry(user.userId(), null, consult.institutionId(), consult.id(),
							AuditAction.ESCALATED, "in the call, to the SO"))
					.thenMany(Flux.fromIterable(sos)
						.concatMap((so) -> this.consults.insertRing(consult.id(), so.userId(), so.discipline(), now)
							.then(this.audit.append(new AuditTrail.Entry(so.userId(), null, consult.institutionId(),
									consult.id(), AuditAction.RUNG, "escalated in the call")))))
					.then(Mono.just(sos.stream().map(Router.Candidate::userId).toList()));
			});
	}

	/**
	 * An SO accepts an escalation ring: they are invited into the room, the other SOs
	 * stop ringing.
	 * @param consult the active consult, locked
	 * @param so the accepting SO
	 * @param now the moment
	 * @return the consult
	 */
	Mono<Consult> join(Consult consult, CurrentUser so, Instant now) {
		return this.consults.respondToRing(consult.id(), so.userId(), Ring.RingState.ACCEPTED, now)
			.flatMap((accepted) -> accepted ? Mono.just(true)
					: Mono.error(new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED,
							"Another SO already joined this consult")))
			.then(this.consults.invite(consult.id(), so.userId(), Objects.requireNonNull(consult.consultantId()), now,
					"joined after escalation"))
			.then(this.consults.withdrawRings(consult.id(), now))
			.then(this.audit.append(new AuditTrail.Entry(so.userId(), null, consult.institutionId(), consult.id(),
					AuditAction.ACCEPTED, "joined after escalation")))
			.thenReturn(consult);
	}

}
