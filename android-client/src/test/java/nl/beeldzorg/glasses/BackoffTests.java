package nl.beeldzorg.glasses;

import java.util.Random;

import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class BackoffTests {

	@Test
	public void doublesUpToTheCeilingWithinHalfAndWhole() {
		Backoff backoff = new Backoff(1000, 60_000, new Random(7));
		long[] ceilings = { 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000 };
		for (long ceiling : ceilings) {
			long delay = backoff.nextDelayMillis();
			assertThat(delay).isBetween(ceiling / 2, ceiling);
		}
		assertThat(backoff.failures()).isEqualTo(ceilings.length);
	}

	@Test
	public void startsOverOnceAConnectionHeld() {
		Backoff backoff = new Backoff(1000, 60_000, new Random(7));
		for (int i = 0; i < 10; i++) {
			backoff.nextDelayMillis();
		}
		backoff.reset();
		assertThat(backoff.nextDelayMillis()).isBetween(500L, 1000L);
	}

	@Test
	public void manyFailuresDoNotOverflow() {
		Backoff backoff = new Backoff(1000, 60_000, new Random(7));
		for (int i = 0; i < 200; i++) {
			assertThat(backoff.nextDelayMillis()).isBetween(1L, 60_000L);
		}
	}

	@Test
	public void glassesDoNotAllComeBackAtOnce() {
		long first = new Backoff(1000, 60_000, new Random(1)).nextDelayMillis();
		boolean differs = false;
		for (int seed = 2; seed < 10 && !differs; seed++) {
			differs = new Backoff(1000, 60_000, new Random(seed)).nextDelayMillis() != first;
		}
		assertThat(differs).isTrue();
	}

}
