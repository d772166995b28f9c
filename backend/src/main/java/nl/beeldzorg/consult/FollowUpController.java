package nl.beeldzorg.consult;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import nl.beeldzorg.security.CurrentUsers;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A consultant's own follow-ups, for the app's inbox.
 */
@RestController
@RequestMapping("/api/v1/me")
class FollowUpController {

	private final FollowUps followUps;

	private final CurrentUsers users;

	FollowUpController(FollowUps followUps, CurrentUsers users) {
		this.followUps = followUps;
		this.users = users;
	}

	/** Ended consults the caller took whose outcome is still to be recorded. */
	@Operation(summary = "Outcomes still to record (\"Nog in te vullen\")",
			description = "Consultants only (403 routing.not-a-consultant): the ENDED consults the caller took"
					+ " whose outcome nobody recorded yet, newest first, at most 50. Record one with"
					+ " PUT /api/v1/consults/{id}/outcome. Some time after the end (beeldzorg.outcome-reminder.after)"
					+ " the consultant is reminded once: event consult.outcome-pending and a Web Push"
					+ " {type, consultId, kind, url}.")
	@GetMapping("/pending-outcomes")
	Flux<ConsultView> pendingOutcomes() {
		return this.users.current().flatMapMany(this.followUps::pendingOutcomes);
	}

	/** Consults that rang for the caller in the last {@code hours} and went elsewhere. */
	@Operation(summary = "Missed calls (\"Gemiste oproepen\")",
			description = "Consultants only (403 routing.not-a-consultant): consults that rang for the caller in"
					+ " the last `hours` and went elsewhere, newest first, at most 50, each with `rungAt` and"
					+ " `reason`: MISSED (nobody answered), CANCELLED (the requester withdrew) or"
					+ " ANSWERED_BY_COLLEAGUE (`consult.consultant` took it). A declined call is not listed.")
	@GetMapping("/missed-calls")
	Flux<FollowUps.MissedCall> missedCalls(
			@Parameter(description = "how far back, 1 to 168 (400 request.invalid" + " otherwise)") @RequestParam(
					defaultValue = "24") int hours) {
		return this.users.current().flatMapMany((user) -> this.followUps.missedCalls(user, hours));
	}

}
