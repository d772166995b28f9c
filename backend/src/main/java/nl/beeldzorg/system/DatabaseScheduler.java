package nl.beeldzorg.system;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where database work is subscribed: in place for a non-blocking driver, on a bounded
 * elastic scheduler for the embedded H2 engine, which blocks its caller. Work that is
 * already on a thread that may block stays there: hopping again from inside a transaction
 * could leave the lock holder waiting for a worker while every worker waits for its lock.
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
		Scheduler scheduler = this.scheduler;
		if (scheduler == null) {
			return work;
		}
		return Mono.defer(() -> Schedulers.isInNonBlockingThread() ? work.subscribeOn(scheduler) : work);
	}

	/**
	 * @param <T> element type
	 * @param work database work
	 * @return the same work, subscribed where it may block if the driver blocks
	 */
	public <T> Flux<T> run(Flux<T> work) {
		Scheduler scheduler = this.scheduler;
		if (scheduler == null) {
			return work;
		}
		return Flux.defer(() -> Schedulers.isInNonBlockingThread() ? work.subscribeOn(scheduler) : work);
	}

}
