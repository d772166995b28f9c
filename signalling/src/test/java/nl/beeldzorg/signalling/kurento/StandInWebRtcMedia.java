package nl.beeldzorg.signalling.kurento;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.jspecify.annotations.Nullable;

/**
 * The <strong>media mode of the Kurento protocol stand-in</strong>, for tests only: each
 * WebRtcEndpoint of the stand-in becomes a real WebRTC peer in this JVM
 * ({@code dev.onvoid.webrtc:webrtc-java}, libwebrtc), so a browser's SFU path really
 * connects and really carries media. {@code processOffer} answers with that peer's
 * answer, its ICE candidates become {@code IceCandidateFound} events once
 * {@code gatherCandidates} is asked, {@code addIceCandidate} is applied, and
 * {@code connect(sink)} forwards the tracks the source endpoint receives to the sink
 * endpoint (libwebrtc decodes and encodes them again; Kurento without transcoding would
 * forward the RTP as it is). <strong>Only video is forwarded</strong>: a subscription's
 * audio is the silence of the headless audio module, since libwebrtc aborts when a
 * received (or any custom) audio track is sent on next to its audio module (the audio
 * send stream is then fed from two threads). It is no media server: no recorder writes a
 * file, no bandwidth limit is applied, no {@code MediaFlow…} event reflects real flow.
 */
final class StandInWebRtcMedia implements AutoCloseable {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(StandInWebRtcMedia.class);

	private final PeerConnectionFactory factory;

	private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

	/** Which source feeds each sink (a sink has one source per kind, as in Kurento). */
	private final Map<String, String> sourceOf = new ConcurrentHashMap<>();

	/** Track wiring off libwebrtc's own threads (its callbacks must not call back in). */
	private final ExecutorService wiring = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "stand-in-media");
		thread.setDaemon(true);
		return thread;
	});

	/** What subscriptions send as audio: the headless audio module's silence. */
	private final AudioTrack silence;

	StandInWebRtcMedia() {
		// Without an audio device module of its own, libwebrtc opens the sound system
		// (and
		// the JVM aborts on a machine without one).
		this.factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
		this.silence = this.factory.createAudioTrack("stand-in-silence",
				this.factory.createAudioSource(new AudioOptions()));
	}

	/**
	 * Answers a browser's offer with a real peer connection for the endpoint.
	 * @param id the WebRtcEndpoint's id
	 * @param offer the browser's offer
	 * @return the answer
	 */
	String answer(String id, String offer) {
		Endpoint endpoint = new Endpoint(id);
		RTCPeerConnection pc = this.factory.createPeerConnection(new RTCConfiguration(), endpoint);
		endpoint.pc = pc;
		Endpoint previous = this.endpoints.put(id, endpoint);
		if (previous != null) {
			previous.close();
		}
		await((o) -> pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer), o));
		for (RTCRtpTransceiver transceiver : pc.getTransceivers()) {
			// A receive-only offer (a subscription): this side sends what its source
			// gets.
			if ("recvonly".equals(direction(offer, transceiver.getMid()))) {
				transceiver.setDirection(RTCRtpTransceiverDirection.SEND_ONLY);
			}
		}
		feed(id);
		CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
		pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
			@Override
			public void onSuccess(RTCSessionDescription description) {
				created.complete(description);
			}

			@Override
			public void onFailure(String error) {
				created.completeExceptionally(new IllegalStateException(error));
			}
		});
		RTCSessionDescription answer = created.orTimeout(10, TimeUnit.SECONDS).join();
		await((o) -> pc.setLocalDescription(answer, o));
		for (RTCIceCandidate candidate : endpoint.remoteCandidates) {
			pc.addIceCandidate(candidate);
		}
		endpoint.remoteCandidates.clear();
		return answer.sdp;
	}

	/**
	 * The direction of the offer's section with that mid ({@code sendrecv} if unsaid).
	 */
	static String direction(String offer, @Nullable String mid) {
		for (String section : offer.split("\r?\nm=")) {
			List<String> lines = List.of(section.split("\r?\n"));
			if (lines.contains("a=mid:" + mid)) {
				for (String direction : List.of("sendonly", "recvonly", "inactive")) {
					if (lines.contains("a=" + direction)) {
						return direction;
					}
				}
				return "sendrecv";
			}
		}
		return "sendrecv";
	}

	/**
	 * Starts handing the endpoint's candidates over (those found before as well).
	 * @param id the endpoint
	 * @param found called per candidate
	 * @param done called once gathering is complete
	 */
	void gather(String id, Consumer<RTCIceCandidate> found, Runnable done) {
		Endpoint endpoint = this.endpoints.get(id);
		if (endpoint == null) {
			return;
		}
		List<RTCIceCandidate> before;
		boolean complete;
		synchronized (endpoint) {
			endpoint.onFound = found;
			endpoint.onDone = done;
			before = new ArrayList<>(endpoint.found);
			endpoint.found.clear();
			complete = endpoint.complete;
		}
		before.forEach(found);
		if (complete) {
			done.run();
		}
	}

	/**
	 * Applies a candidate of the browser (held until the offer arrived).
	 * @param id the endpoint
	 * @param mid its sdpMid
	 * @param index its sdpMLineIndex
	 * @param candidate its candidate line
	 * @return whether the endpoint has a peer connection yet
	 */
	boolean candidate(String id, String mid, int index, String candidate) {
		Endpoint endpoint = this.endpoints.get(id);
		if (endpoint == null || endpoint.pc == null) {
			return false;
		}
		RTCIceCandidate ice = new RTCIceCandidate(mid, index, candidate);
		if (endpoint.pc.getRemoteDescription() == null) {
			endpoint.remoteCandidates.add(ice);
		}
		else {
			endpoint.pc.addIceCandidate(ice);
		}
		return true;
	}

	/**
	 * The source's received media goes to the sink from now on.
	 * @param source the source endpoint
	 * @param sink the sink endpoint
	 */
	void connect(String source, String sink) {
		this.sourceOf.put(sink, source);
		this.wiring.execute(() -> feed(sink));
	}

	/**
	 * Forgets the endpoints no longer in the stand-in's table (released, or a restart).
	 * @param alive the ids still alive
	 */
	void retain(Set<String> alive) {
		for (String id : List.copyOf(this.endpoints.keySet())) {
			if (!alive.contains(id)) {
				Endpoint gone = this.endpoints.remove(id);
				if (gone != null) {
					gone.close();
				}
			}
		}
		this.sourceOf.keySet().retainAll(alive);
	}

	/**
	 * @return how many endpoints' peer connections are connected now
	 */
	long connected() {
		return this.endpoints.values()
			.stream()
			.filter((e) -> e.pc != null && e.pc.getConnectionState() == RTCPeerConnectionState.CONNECTED)
			.count();
	}

	@Override
	public void close() {
		retain(Set.of());
		this.wiring.shutdown();
		try {
			this.wiring.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.factory.dispose();
	}

	/** Puts the source's received tracks on the sink's sending transceivers. */
	private void feed(String sinkId) {
		Endpoint sink = this.endpoints.get(sinkId);
		String sourceId = this.sourceOf.get(sinkId);
		Endpoint source = (sourceId != null) ? this.endpoints.get(sourceId) : null;
		if (sink == null || sink.pc == null || source == null) {
			return;
		}
		try {
			for (RTCRtpTransceiver transceiver : sink.pc.getTransceivers()) {
				RTCRtpTransceiverDirection direction = transceiver.getDirection();
				if (direction != RTCRtpTransceiverDirection.SEND_ONLY
						&& direction != RTCRtpTransceiverDirection.SEND_RECV) {
					continue;
				}
				String kind = transceiver.getReceiver().getTrack().getKind();
				MediaStreamTrack track = MediaStreamTrack.AUDIO_TRACK_KIND.equals(kind) ? this.silence
						: source.received.get(kind);
				if (track != null) {
					transceiver.getSender().replaceTrack(track);
				}
			}
		}
		catch (RuntimeException ex) {
			// The sink closed meanwhile (released, replaced).
			logger.debug("Could not feed {}: {}", sinkId, ex.toString());
		}
	}

	private static void await(Consumer<SetSessionDescriptionObserver> call) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		call.accept(new SetSessionDescriptionObserver() {
			@Override
			public void onSuccess() {
				done.complete(null);
			}

			@Override
			public void onFailure(String error) {
				done.completeExceptionally(new IllegalStateException(error));
			}
		});
		done.orTimeout(10, TimeUnit.SECONDS).join();
	}

	/** One WebRtcEndpoint as a real peer. */
	private final class Endpoint implements PeerConnectionObserver {

		final String id;

		volatile @Nullable RTCPeerConnection pc;

		final Map<String, MediaStreamTrack> received = new ConcurrentHashMap<>();

		final List<RTCIceCandidate> found = new ArrayList<>();

		final List<RTCIceCandidate> remoteCandidates = new ArrayList<>();

		@Nullable Consumer<RTCIceCandidate> onFound;

		@Nullable Runnable onDone;

		boolean complete;

		Endpoint(String id) {
			this.id = id;
		}

		@Override
		public void onIceCandidate(RTCIceCandidate candidate) {
			Consumer<RTCIceCandidate> to;
			synchronized (this) {
				to = this.onFound;
				if (to == null) {
					this.found.add(candidate);
					return;
				}
			}
			to.accept(candidate);
		}

		@Override
		public void onIceGatheringChange(RTCIceGatheringState state) {
			if (state != RTCIceGatheringState.COMPLETE) {
				return;
			}
			Runnable to;
			synchronized (this) {
				this.complete = true;
				to = this.onDone;
			}
			if (to != null) {
				to.run();
			}
		}

		@Override
		public void onTrack(RTCRtpTransceiver transceiver) {
			MediaStreamTrack track = transceiver.getReceiver().getTrack();
			this.received.put(track.getKind(), track);

			StandInWebRtcMedia.this.wiring.execute(() -> StandInWebRtcMedia.this.sourceOf.forEach((sink, source) -> {
				if (source.equals(this.id)) {
					feed(sink);
				}
			}));
		}

		void close() {
			RTCPeerConnection closing = this.pc;
			this.pc = null;
			if (closing != null) {
				// Off the caller: closing waits for libwebrtc's threads.
				StandInWebRtcMedia.this.wiring.execute(closing::close);
			}
		}

	}

}
