package nl.beeldzorg.signalling.kurento;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.kurento.client.Continuation;
import org.kurento.client.internal.server.KurentoServerException;
import org.kurento.jsonrpc.JsonRpcErrorException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Calls to Kurento as {@link Mono}s. Only the client's asynchronous variants are used:
 * the answer arrives on the client's own threads. The request itself is sent from
 * {@code boundedElastic}, because the client connects again, blocking, before it sends
 * when its socket dropped.
 */
final class Kurento {

	/** KMS: the object is not known (the server restarted and lost it). */
	static final int OBJECT_NOT_FOUND = 40101;

	/** KMS: the session is not known (the server restarted). */
	static final int INVALID_SESSION = 40007;

	private Kurento() {
	}

	/**
	 * @param call starts the call with the continuation it is given
	 * @return the result; empty for {@code void} calls
	 */
	static <T> Mono<T> call(Consumer<Continuation<T>> call) {
		return Mono.<T>create((sink) -> call.accept(new Continuation<>() {
			@Override
			public void onSuccess(@Nullable T result) {
				if (result == null) {
					sink.success();
				}
				else {
					sink.success(result);
				}
			}

			@Override
			public void onError(Throwable cause) {
				sink.error(cause);
			}
		})).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * @param ex a failure of a call
	 * @return whether the media server no longer knows the object or the session: it
	 * restarted
	 */
	static boolean lostObjects(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			int code = (cause instanceof KurentoServerException server) ? server.getCode()
					: (cause instanceof JsonRpcErrorException rpc) ? rpc.getCode() : 0;
			if (code == OBJECT_NOT_FOUND || code == INVALID_SESSION) {
				return true;
			}
		}
		return false;
	}

}
