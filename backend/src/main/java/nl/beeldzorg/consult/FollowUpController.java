package nl.beeldzorg.consult;

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
	@GetMapping("/pending-outcomes")
	Flux<ConsultView> pendingOutcomes() {
		return this.users.current().flatMapMany(this.followUps::pendingOutcomes);
	}

	/** Consults that rang for the caller in the last {@code hours} and went elsewhere. */
	@GetMapping("/missed-calls")
	Flux<FollowUps.MissedCall> missedCalls(@RequestParam(defaultValue = "24") int hours) {
		return this.users.current().flatMapMany((user) -> this.followUps.missedCalls(user, hours));
	}

}
