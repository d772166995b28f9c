package nl.beeldzorg.audit;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets an administrator check that the audit chain is intact, and ask who looked at a
 * client's consults.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

	private final AuditTrail trail;

	private final CurrentUsers users;

	private final AccessLog access;

	AuditController(AuditTrail trail, CurrentUsers users, AccessLog access) {
		this.trail = trail;
		this.users = users;
		this.access = access;
	}

	/**
	 * NEN 7513: who read or changed one client's consults and written IMOZ questions, for
	 * an ADMIN of the institution whose consults they are.
	 */
	@io.swagger.v3.oas.annotations.Operation(summary = "Who looked at one client's consults (NEN 7513)",
			description = "ADMIN only (403 auth.forbidden otherwise), scoped to the admin's institution: every audit"
					+ " record about the consults of that institution with this pseudonymous clientRef, and the"
					+ " written IMOZ questions about it that an SO of the institution took or answered. Reads are"
					+ " action READ (detail: what was read; remoteAddr: from where; onBehalfOf: for whom, when a"
					+ " token was exchanged); a list that showed the consult carries it in subjects. Oldest first,"
					+ " at most 5000. The query itself is logged.")
	@GetMapping("/accesses")
	Mono<List<AuditRecord>> accesses(@RequestParam String clientRef) {
		if (clientRef.isBlank() || clientRef.length() > 64) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID, "clientRef must be 1 to 64 characters",
					"clientRef", FieldErrorCode.INVALID));
		}
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.ADMIN) && user.institutionId() != null)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN,
					"Only an ADMIN of an institution asks who looked at its clients' consults")))
			.flatMap((user) -> {
				String institution = Objects.requireNonNull(user.institutionId());
				return this.trail.accessesToClient(institution, clientRef.trim())
					.collectList()
					.flatMap((records) -> this.access
						.listed(user, institution,
								records.stream()
									.map(AuditRecord::consultId)
									.filter(Objects::nonNull)
									.collect(Collectors.toCollection(LinkedHashSet::new)),
								"audit.accesses")
						.thenReturn(records));
			});
	}

	@GetMapping("/verification")
	Mono<AuditTrail.Verification> verify() {
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.ADMIN) || user.hasRole(CurrentUser.PROGRAMME))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN, "Only ADMIN or PROGRAMME")))
			.flatMap((user) -> this.trail.verify());
	}

}
