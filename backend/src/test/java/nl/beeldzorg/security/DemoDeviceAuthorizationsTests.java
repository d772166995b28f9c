package nl.beeldzorg.security;

import java.time.Duration;
import java.time.Instant;

import nl.beeldzorg.directory.DemoDirectory;
import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo issuer's Device Authorization Grant as RFC 8628 has the device see it: pending
 * until approved, told to slow down when it polls too often, the user once approved, and
 * expired or denied codes answered as such, each code good once.
 */
class DemoDeviceAuthorizationsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));

	private final DemoDeviceAuthorizations devices = new DemoDeviceAuthorizations(this.clock);

	private final DemoUser anna = DemoDirectory.user("nurse.anna").orElseThrow();

	@Test
	void pendingUntilApprovedThenTheUserOnce() {
		DemoDeviceAuthorizations.Started started = this.devices.start("beeldzorg-glasses");
		assertThat(started.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
		assertThat(started.deviceCode()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(started.userCode());
		assertThat(started.interval()).isEqualTo(5);
		assertThat(started.expiresIn()).isEqualTo(600);
		assertThat(this.devices.poll(started.deviceCode(), "beeldzorg-glasses").error())
			.isEqualTo("authorization_pending");
		// Polling again within the interval: slow down.
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.devices.poll(started.deviceCode(), "beeldzorg-glasses").error()).isEqualTo("slow_down");
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(this.devices.poll(started.deviceCode(), "beeldzorg-glasses").error())
			.isEqualTo("authorization_pending");
		// Typed on a phone: lower case, without the dash.
		assertThat(this.devices.pending(started.userCode().toLowerCase().replace("-", ""))).isTrue();
		assertThat(this.devices.approve(started.userCode().toLowerCase().replace("-", " "), this.anna)).isTrue();
		assertThat(this.devices.approve(started.userCode(), this.anna)).as("decided once").isFalse();
		// Another client cannot redeem the code.
		assertThat(this.devices.poll(started.deviceCode(), "another-client").error()).isEqualTo("invalid_grant");
		this.clock.advance(Duration.ofSeconds(6));
		DemoDeviceAuthorizations.Poll poll = this.devices.poll(started.deviceCode(), "beeldzorg-glasses");
		assertThat(poll.error()).isNull();
		assertThat(poll.user()).isEqualTo(this.anna);
		assertThat(this.devices.poll(started.deviceCode(), "beeldzorg-glasses").error())
			.as("a device code gives one token")
			.isEqualTo("invalid_grant");
	}

	@Test
	void deniedCodeIsAccessDenied() {
		DemoDeviceAuthorizations.Started started = this.devices.start("beeldzorg-glasses");
		assertThat(this.devices.deny(started.userCode())).isTrue();
		assertThat(this.devices.approve(started.userCode(), this.anna)).isFalse();
		assertThat(this.devices.poll(started.deviceCode(), "beeldzorg-glasses").error()).isEqualTo("access_denied");
	}

	@Test
	void expiredCodeCanNeitherBeApprovedNorRedeemed() {
		DemoDeviceAuthorizations.Started started = this.devices.start("beeldzorg-glasses");
		this.clock.advance(DemoDeviceAuthorizations.LIFETIME);
		assertThat(this.devices.pending(started.userCode())).isFalse();
		assertThat(this.devices.approve(started.userCode(), this.anna)).isFalse();
		assertThat(this.devices.poll(started.deviceCode(), "beeldzorg-glasses").error()).isEqualTo("expired_token");
		assertThat(this.devices.approve("ZZZZ-ZZZZ", this.anna)).as("unknown code").isFalse();
	}

}
