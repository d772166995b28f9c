package nl.beeldzorg.ledger;

import java.util.UUID;

import jakarta.validation.Valid;
import nl.beeldzorg.security.CurrentUsers;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A consult's outcome and the time it saved.
 */
@RestController
@RequestMapping("/api/v1/consults/{id}")
class LedgerController {

	private final LedgerService ledger;

	private final CurrentUsers users;

	LedgerController(LedgerService ledger, CurrentUsers users) {
		this.ledger = ledger;
		this.users = users;
	}

	@PutMapping("/outcome")
	Mono<TimeSaved> outcome(@PathVariable UUID id, @Valid @RequestBody OutcomeRequest request) {
		return this.users.current().flatMap((user) -> this.ledger.recordOutcome(user, id, request));
	}

	@GetMapping("/time-saved")
	Mono<TimeSaved> timeSaved(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.ledger.timeSaved(user, id));
	}

}
