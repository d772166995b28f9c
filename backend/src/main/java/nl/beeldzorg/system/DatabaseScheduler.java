package nl.beeldzorg.system;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Where database work is subscribed: in place for a non-blocking driver, on a bounded
 * elastic scheduler for the embedded H2 engine, which blocks its caller.
 */
public final class DatabaseScheduler {

	private final @Nullable Scheduler scheduler;

	DatabaseScheduler(@Nullable Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * @param <T> element type
	 * @param work database work
	 * @return the same work, subscribed where it may block if the driver blocks
	 */
	public <T> Mono<T> run(Mono<T> work) {
		return (this.scheduler != null) ? work.subscribeOn(this.scheduler) : work;
	}

	/**
	 * @param <T> element type
	 * @param work database work
	 * @return the same work, subscribed where it may block if the driver blocks
	 */
	public <T> Flux<T> run(Flux<T> work) {
		return (this.scheduler != null) ? work.subscribeOn(this.scheduler) : work;
	}

}
