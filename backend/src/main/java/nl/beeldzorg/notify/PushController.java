package nl.beeldzorg.notify;

import java.time.Clock;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Web Push subscriptions of the consultant's app: the VAPID public key to subscribe with,
 * and subscribe / unsubscribe (the browser's {@code PushSubscription.toJSON()}).
 */
@RestController
@RequestMapping("/api/v1/push")
class PushController {

	private final PushKeys keys;

	private final PushSubscriptions subscriptions;

	private final CurrentUsers users;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	PushController(PushKeys keys, PushSubscriptions subscriptions, CurrentUsers users, DatabaseScheduler scheduler,
			Clock clock) {
		this.keys = keys;
		this.subscriptions = subscriptions;
		this.users = users;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@GetMapping("/public-key")
	Map<String, String> publicKey() {
		return Map.of("publicKey", this.keys.publicKey());
	}

	@PostMapping("/subscriptions")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Map<String, Object>> subscribe(@Valid @RequestBody SubscriptionRequest request) {
		return consultant().flatMap((user) -> this.scheduler
			.run(this.subscriptions.subscribe(user.userId(),
					new PushSubscriptions.Subscription(request.endpoint(), request.keys().p256dh(),
							request.keys().auth()),
					this.clock.instant()))
			.thenReturn(Map.of("endpoint", request.endpoint(), "subscribed", true)));
	}

	@DeleteMapping("/subscriptions")
	Mono<Map<String, Object>> unsubscribe(@Valid @RequestBody Unsubscribe request) {
		return consultant()
			.flatMap((user) -> this.scheduler.run(this.subscriptions.unsubscribe(user.userId(), request.endpoint()))
				.map((removed) -> Map.of("endpoint", request.endpoint(), "subscribed", false, "removed", removed)));
	}

	private Mono<CurrentUser> consultant() {
		return this.users.current()
			.filter(CurrentUser::isConsultant)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.NOT_A_CONSULTANT,
					"Only consultants subscribe to ringing consults")));
	}

	/**
	 * A browser's {@code PushSubscription.toJSON()}.
	 *
	 * @param endpoint the push service URL
	 * @param keys the browser's keys
	 */
	record SubscriptionRequest(@NotBlank @Size(max = 1000) String endpoint, @Valid @NotNull Keys keys) {
	}

	/**
	 * @param p256dh the browser's ECDH public key (Base64url, 65 bytes decoded)
	 * @param auth the authentication secret (Base64url, 16 bytes decoded)
	 */
	record Keys(@NotBlank @Size(max = 200) String p256dh, @NotBlank @Size(max = 100) String auth) {
	}

	/**
	 * @param endpoint the subscription's endpoint
	 */
	record Unsubscribe(@NotBlank @Size(max = 1000) String endpoint) {
	}

}
