package nl.beeldzorg.signalling.kurento;

import java.util.concurrent.atomic.AtomicLong;

import org.kurento.client.KurentoClient;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;

/**
 * The media server a broker test runs against: a fresh Kurento protocol stand-in by
 * default (Kurento Media Server cannot run here), or the real Kurento Media Server named
 * by {@code -Dkurento.url} (profile {@code real-kurento}). Either way the test sees the
 * same thing: how many objects of a kind live on the server, counted from when the target
 * was made (a real server may hold other objects).
 */
public abstract class MediaServerTarget implements AutoCloseable {

	/**
	 * @return the stand-in, or the real server when {@code kurento.url} is set
	 */
	public static MediaServerTarget start() {
		String url = System.getProperty("kurento.url", "");
		if (url.isBlank() || url.startsWith("${")) {
			return new StandIn(KurentoProtocolStandIn.start());
		}
		return new Real(url);
	}

	/**
	 * @return the server's JSON-RPC address
	 */
	public abstract String url();

	/**
	 * @param type {@code MediaPipeline}, {@code WebRtcEndpoint} or
	 * {@code RecorderEndpoint}
	 * @return how many more objects of that kind live on the server than when the target
	 * was made
	 */
	public abstract long live(String type);

	@Override
	public abstract void close();

	private static final class StandIn extends MediaServerTarget {

		private final KurentoProtocolStandIn kms;

		StandIn(KurentoProtocolStandIn kms) {
			this.kms = kms;
		}

		@Override
		public String url() {
			return this.kms.url();
		}

		@Override
		public long live(String type) {
			return this.kms.live(type);
		}

		@Override
		public void close() {
			this.kms.close();
		}

		@Override
		public String toString() {
			return "the Kurento protocol stand-in";
		}

	}

	/** A real Kurento Media Server, looked at through a client of its own. */
	private static final class Real extends MediaServerTarget {

		private final String url;

		private final KurentoClient client;

		private final java.util.Map<String, AtomicLong> before = new java.util.HashMap<>();

		Real(String url) {
			this.url = url;
			this.client = KurentoClient.create(url);
			for (String type : new String[] { "MediaPipeline", "WebRtcEndpoint", "RecorderEndpoint" }) {
				this.before.put(type, new AtomicLong(count(type)));
			}
		}

		@Override
		public String url() {
			return this.url;
		}

		@Override
		public long live(String type) {
			AtomicLong baseline = this.before.get(type);
			return count(type) - ((baseline != null) ? baseline.get() : 0);
		}

		private long count(String type) {
			long count = 0;
			for (MediaPipeline pipeline : this.client.getServerManager().getPipelines()) {
				if (type.equals("MediaPipeline")) {
					count++;
					continue;
				}
				for (MediaObject child : pipeline.getChildren()) {
					// KMS object ids end in "_kurento.<Type>".
					if (child.getId().endsWith("kurento." + type)) {
						count++;
					}
				}
			}
			return count;
		}

		@Override
		public void close() {
			this.client.destroy();
		}

		@Override
		public String toString() {
			return "the Kurento Media Server at " + this.url;
		}

	}

}
