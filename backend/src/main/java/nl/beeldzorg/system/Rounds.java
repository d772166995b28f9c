package nl.beeldzorg.system;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A node's periodic rounds (escalation, outcome reminders, recording retention): one
 * round at a time, a tick that comes while a round still runs is dropped rather than
 * queued, and a round that fails is logged and left to the next one, so the rounds never
 * stop. A failure because the database is away (an outage the API already answers with
 * 503) is a warning without a stack trace; anything else is an error.
 */
public final class Rounds {

	private Rounds() {
	}

	/**
	 * Starts the rounds, the first one {@code interval} from now.
	 * @param what the round's name in the log ("Escalation round")
	 * @return what stops them (on shutdown)
	 */
	public static Disposable every(Duration interval, Supplier<Mono<?>> round, Logger logger, String what) {
		return Flux.interval(interval, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> round.get().then().onErrorResume((ex) -> {
				if (DatabaseOutages.isOutage(ex)) {
					logger.warn("{} failed, database unavailable; the next round retries: {}", what, ex.toString());
				}
				else {
					logger.error("{} failed; the next round retries", what, ex);
				}
				return Mono.empty();
			}), 1)
			.subscribe();
	}

}
