package nl.beeldzorg.audit;

import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets an administrator check that the audit chain is intact.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

	private final AuditTrail trail;

	private final CurrentUsers users;

	AuditController(AuditTrail trail, CurrentUsers users) {
		this.trail = trail;
		this.users = users;
	}

	@GetMapping("/verification")
	Mono<AuditTrail.Verification> verify() {
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.ADMIN) || user.hasRole(CurrentUser.PROGRAMME))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN, "Only ADMIN or PROGRAMME")))
			.flatMap((user) -> this.trail.verify());
	}

}
