package nl.beeldzorg.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import org.jspecify.annotations.Nullable;

/**
 * The demo issuer's OAuth 2.0 Device Authorization Grant (RFC 8628), so demo mode shows
 * the glasses' whole sign-in path: the device asks for a code, shows the short user code,
 * polls; someone approves the code for a demo user on {@code /demo/device}. Kept in
 * memory: demo mode is one node.
 */
public class DemoDeviceAuthorizations {

	/** How long a device code is good for. */
	public static final Duration LIFETIME = Duration.ofMinutes(10);

	/** The least time between two polls of one device code. */
	public static final Duration INTERVAL = Duration.ofSeconds(5);

	// RFC 8628 §6.1: no vowels (no words), no look-alikes.
	private static final char[] USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ".toCharArray();

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	private final Duration interval;

	private final Map<String, Pending> byDeviceCode = new ConcurrentHashMap<>();

	private final Map<String, String> deviceCodeByUserCode = new ConcurrentHashMap<>();

	DemoDeviceAuthorizations(Clock clock) {
		this(clock, INTERVAL);
	}

	DemoDeviceAuthorizations(Clock clock, Duration interval) {
		this.clock = clock;
		this.interval = interval;
	}

	/**
	 * Starts a device authorization (the device authorization endpoint).
	 * @param clientId the device's client
	 * @return the codes
	 */
	public Started start(String clientId) {
		forgetExpired();
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String deviceCode = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String userCode;
		do {
			StringBuilder code = new StringBuilder();
			for (int i = 0; i < 8; i++) {
				if (i == 4) {
					code.append('-');
				}
				code.append(USER_CODE_ALPHABET[this.random.nextInt(USER_CODE_ALPHABET.length)]);
			}
			userCode = code.toString();
		}
		while (this.deviceCodeByUserCode.putIfAbsent(userCode, deviceCode) != null);
		Instant now = this.clock.instant();
		this.byDeviceCode.put(deviceCode, new Pending(clientId, userCode, now.plus(LIFETIME), null, null, false));
		return new Started(deviceCode, userCode, LIFETIME.toSeconds(), this.interval.toSeconds());
	}

	/**
	 * @param userCode a user code as typed (case and dashes do not matter)
	 * @return whether it names a pending, unexpired authorization
	 */
	public boolean pending(String userCode) {
		return find(userCode).filter((p) -> p.user() == null && !p.denied()).isPresent();
	}

	/**
	 * Approves a user code for a user (the approval page).
	 * @param userCode the code the device shows
	 * @param user who signs in on the device
	 * @return whether a pending authorization was approved
	 */
	public boolean approve(String userCode, DemoUser user) {
		return decide(userCode, user, false);
	}

	/**
	 * Denies a user code.
	 * @param userCode the code the device shows
	 * @return whether a pending authorization was denied
	 */
	public boolean deny(String userCode) {
		return decide(userCode, null, true);
	}

	private boolean decide(String userCode, @Nullable DemoUser user, boolean denied) {
		String deviceCode = this.deviceCodeByUserCode.get(normalise(userCode));
		if (deviceCode == null) {
			return false;
		}
		Instant now = this.clock.instant();
		boolean[] done = { false };
		this.byDeviceCode.computeIfPresent(deviceCode, (code, pending) -> {
			if (pending.user() != null || pending.denied() || !now.isBefore(pending.expiresAt())) {
				return pending;
			}
			done[0] = true;
			return new Pending(pending.clientId(), pending.userCode(), pending.expiresAt(), pending.lastPoll(), user,
					denied);
		});
		return done[0];
	}

	/**
	 * Polls with a device code (the token endpoint).
	 * @param deviceCode the device code
	 * @param clientId the client polling
	 * @return what the device is told: a user to issue a token for, or an RFC 8628 error
	 */
	public Poll poll(String deviceCode, String clientId) {
		Pending pending = this.byDeviceCode.get(deviceCode);
		if (pending == null || !pending.clientId().equals(clientId)) {
			return Poll.error("invalid_grant");
		}
		Instant now = this.clock.instant();
		if (!now.isBefore(pending.expiresAt())) {
			forget(deviceCode, pending);
			return Poll.error("expired_token");
		}
		if (pending.denied()) {
			forget(deviceCode, pending);
			return Poll.error("access_denied");
		}
		if (pending.user() != null) {
			forget(deviceCode, pending);
			return new Poll(pending.user(), null);
		}
		Instant last = pending.lastPoll();
		this.byDeviceCode.put(deviceCode,
				new Pending(pending.clientId(), pending.userCode(), pending.expiresAt(), now, null, false));
		if (last != null && now.isBefore(last.plus(this.interval))) {
			return Poll.error("slow_down");
		}
		return Poll.error("authorization_pending");
	}

	private Optional<Pending> find(String userCode) {
		String deviceCode = this.deviceCodeByUserCode.get(normalise(userCode));
		Pending pending = (deviceCode != null) ? this.byDeviceCode.get(deviceCode) : null;
		return Optional.ofNullable(pending).filter((p) -> this.clock.instant().isBefore(p.expiresAt()));
	}

	private void forget(String deviceCode, Pending pending) {
		this.byDeviceCode.remove(deviceCode);
		this.deviceCodeByUserCode.remove(pending.userCode());
	}

	private void forgetExpired() {
		Instant now = this.clock.instant();
		this.byDeviceCode.forEach((code, pending) -> {
			if (!now.isBefore(pending.expiresAt().plus(LIFETIME))) {
				forget(code, pending);
			}
		});
	}

	static String normalise(String userCode) {
		String letters = userCode.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
		return (letters.length() == 8) ? letters.substring(0, 4) + "-" + letters.substring(4) : letters;
	}

	private record Pending(String clientId, String userCode, Instant expiresAt, @Nullable Instant lastPoll,
			@Nullable DemoUser user, boolean denied) {
	}

	/**
	 * A started device authorization.
	 *
	 * @param deviceCode what the device polls with (secret to the device)
	 * @param userCode what the device shows and the user approves
	 * @param expiresIn seconds the codes are good for
	 * @param interval seconds between polls
	 */
	public record Started(String deviceCode, String userCode, long expiresIn, long interval) {
	}

	/**
	 * What one poll answers.
	 *
	 * @param user the approved user, or {@code null}
	 * @param error the RFC 8628 error ({@code authorization_pending}, {@code slow_down},
	 * {@code expired_token}, {@code access_denied}, {@code invalid_grant}), or
	 * {@code null}
	 */
	public record Poll(@Nullable DemoUser user, @Nullable String error) {

		static Poll error(String error) {
			return new Poll(null, error);
		}

	}

}
