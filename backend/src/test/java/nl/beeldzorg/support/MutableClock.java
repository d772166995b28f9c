package nl.beeldzorg.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A clock a test sets: the application's one clock, so "3 a.m." is whenever the test
 * says.
 */
public final class MutableClock extends Clock {

	private volatile Instant now;

	/**
	 * @param now the starting moment
	 */
	public MutableClock(Instant now) {
		this.now = now;
	}

	/**
	 * @param moment the new now
	 */
	public void set(Instant moment) {
		this.now = moment;
	}

	/**
	 * @param step how far to move on
	 */
	public void advance(Duration step) {
		this.now = this.now.plus(step);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	/**
	 * Replaces the application's clock in a test context.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock(Instant.now());
		}

	}

}
