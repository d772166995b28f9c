package nl.beeldzorg.imoz;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Reads an uploaded photo's body up to its limit. A body over the limit is still read to
 * its end and thrown away, up to twice the limit, before the refusal is sent: a server
 * that answers and closes while the client is still sending makes the client's TCP stack
 * drop the answer (a reset), and the user would see "connection lost" instead of "the
 * photo is too large". Beyond that the refusal goes out at once and the connection is
 * closed.
 */
final class PhotoUploads {

	private PhotoUploads() {
	}

	/**
	 * @param body the request body
	 * @param max the most bytes a photo may have
	 * @return the bytes, or {@link TooLarge} once the body is known to be over the limit
	 */
	static Mono<byte[]> read(Flux<DataBuffer> body, long max) {
		long swallow = 2 * max;
		return Mono.defer(() -> {
			List<DataBuffer> kept = new ArrayList<>();
			long[] total = { 0 };
			return body.doOnNext((buffer) -> {
				total[0] += buffer.readableByteCount();
				if (total[0] <= max) {
					kept.add(buffer);
					return;
				}
				DataBufferUtils.release(buffer);
				releaseAll(kept);
				if (total[0] > swallow) {
					throw new TooLarge(false);
				}
			}).then(Mono.fromCallable(() -> {
				if (total[0] > max) {
					throw new TooLarge(true);
				}
				byte[] bytes = new byte[(int) total[0]];
				int offset = 0;
				for (DataBuffer buffer : kept) {
					int n = buffer.readableByteCount();
					buffer.read(bytes, offset, n);
					offset += n;
				}
				return bytes;
			})).doFinally((signal) -> releaseAll(kept));
		});
	}

	/**
	 * Whether a body of this declared length is read and thrown away before refusing it.
	 * @param contentLength the declared length
	 * @param max the limit
	 * @return true when small enough to swallow
	 */
	static boolean swallows(long contentLength, long max) {
		return contentLength <= 2 * max;
	}

	private static void releaseAll(List<DataBuffer> buffers) {
		buffers.forEach(DataBufferUtils::release);
		buffers.clear();
	}

	/** The body is larger than a photo may be. */
	static final class TooLarge extends RuntimeException {

		private final boolean drained;

		TooLarge(boolean drained) {
			super("photo too large", null, false, false);
			this.drained = drained;
		}

		/**
		 * @return whether the whole body was read, so the connection may be kept
		 */
		boolean drained() {
			return this.drained;
		}

	}

}
