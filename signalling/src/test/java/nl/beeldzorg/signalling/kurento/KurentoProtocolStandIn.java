package nl.beeldzorg.signalling.kurento;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A <strong>stand-in</strong> for Kurento Media Server, for tests only: Kurento Media
 * Server cannot run on this machine (no package, no container), so this speaks its
 * protocol instead, JSON-RPC 2.0 over WebSocket at {@code ws://127.0.0.1:port/kurento},
 * as KMS 7 does (per {@code ServerMethods.cpp} and the Java client's
 * {@code RomClientJsonRpcClient}): {@code connect} (sessions; an unknown session is error
 * 40007, which is how the client learns that the server restarted), {@code ping},
 * {@code create} (returns {@code {value: objectId, sessionId}} with KMS-shaped ids),
 * {@code invoke}, {@code subscribe}/{@code unsubscribe}, {@code release},
 * {@code closeSession}, and events as {@code onEvent} notifications. Unknown objects are
 * error 40101, unknown types 40100, unknown operations 40105, a second offer 40208.
 * <p>
 * By default it moves no media. {@code processOffer} answers with an SDP that a browser
 * accepts (the offer's m-lines, mids and codecs mirrored, its own ICE credentials and
 * DTLS fingerprint, {@code a=setup:passive}, {@code a=ice-lite});
 * {@code gatherCandidates} fires one host candidate per media section as
 * {@code IceCandidateFound}, and {@code IceGatheringDone}; connecting a sink fires
 * {@code MediaFlowInStateChanged}.
 * <p>
 * It records every request ({@link #requests()}), keeps its object table
 * ({@link #live(String)}), can {@link #restart()} (sockets closed, objects and sessions
 * forgotten, a new server id, as a KMS process that restarts) and {@link #stop()}.
 * <p>
 * Started with {@link #startWithMedia()} it moves media after all, still as a stand-in:
 * each WebRtcEndpoint is then a real WebRTC peer in this JVM
 * ({@link StandInWebRtcMedia}): {@code processOffer} answers with that peer's answer, its
 * real candidates are the {@code IceCandidateFound} events, {@code addIceCandidate} is
 * applied and {@code connect(sink)} forwards what the source endpoint receives to the
 * sink.
 */
public final class KurentoProtocolStandIn implements AutoCloseable {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(KurentoProtocolStandIn.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private static final Set<String> TYPES = Set.of("MediaPipeline", "WebRtcEndpoint", "RecorderEndpoint",
			"PassThrough", "PlayerEndpoint", "RtpEndpoint", "HubPort", "Composite", "Dispatcher");

	private final SecureRandom random = new SecureRandom();

	private volatile int port;

	private volatile @Nullable DisposableServer server;

	private final Map<String, MediaObject> objects = new ConcurrentHashMap<>();

	private final Set<String> sessions = ConcurrentHashMap.newKeySet();

	/** Open sockets: their outbound frames, and how to drop the connection. */
	private final Map<Sinks.Many<String>, Runnable> sockets = new ConcurrentHashMap<>();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger candidatePorts = new AtomicInteger(40000);

	private volatile String serverId = UUID.randomUUID().toString();

	private final AtomicInteger restarts = new AtomicInteger();

	/** The media mode's real peers, or {@code null}: no media moves. */
	private volatile @Nullable StandInWebRtcMedia media;

	private KurentoProtocolStandIn(int port) {
		this.port = port;
	}

	/**
	 * Starts a stand-in on a free port.
	 * @return the running stand-in
	 */
	public static KurentoProtocolStandIn start() {
		KurentoProtocolStandIn standIn = new KurentoProtocolStandIn(0);
		standIn.listen(0);
		return standIn;
	}

	/**
	 * Starts a stand-in on a free port whose WebRtcEndpoints really connect and forward
	 * media ({@link StandInWebRtcMedia}).
	 * @return the running stand-in
	 */
	public static KurentoProtocolStandIn startWithMedia() {
		KurentoProtocolStandIn standIn = start();
		standIn.media = new StandInWebRtcMedia();
		return standIn;
	}

	/**
	 * @return how many WebRtcEndpoints' peers are connected now (always 0 without the
	 * media mode)
	 */
	public long connectedEndpoints() {
		StandInWebRtcMedia peers = this.media;
		return (peers != null) ? peers.connected() : 0;
	}

	/** The media mode forgets the endpoints no longer in the object table. */
	private void forgetMedia() {
		StandInWebRtcMedia peers = this.media;
		if (peers != null) {
			peers.retain(this.objects.keySet());
		}
	}

	private void listen(int onPort) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(onPort)
			.route((routes) -> routes.ws("/kurento", (in, out) -> {
				Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
				this.sockets.put(outbound, () -> in.withConnection((connection) -> connection.dispose()));
				Mono<Void> inbound = in.aggregateFrames(4 * 1024 * 1024)
					.receive()
					.asString()
					// Off the event loop: ids come from SecureRandom, which may block.
					.publishOn(Schedulers.boundedElastic())
					.doOnNext((frame) -> {
						try {
							handle(frame, outbound);
						}
						catch (RuntimeException ex) {
							logger.error("The stand-in failed on {}", frame, ex);
						}
					})
					.doFinally((signal) -> closed(outbound))
					.then();
				return Mono.when(inbound, out.sendString(outbound.asFlux()).then());
			}, WebsocketServerSpec.builder().maxFramePayloadLength(4 * 1024 * 1024).build()))
			.bindNow(Duration.ofSeconds(5));
		this.port = this.server.port();
	}

	/**
	 * Listens again on the same port after {@link #stop()}: the server is back, empty.
	 */
	public void resume() {
		this.objects.clear();
		this.sessions.clear();
		this.serverId = UUID.randomUUID().toString();
		forgetMedia();
		listen(this.port);
	}

	private void closed(Sinks.Many<String> socket) {
		this.sockets.remove(socket);
		socket.tryEmitComplete();
	}

	/**
	 * @return {@code ws://127.0.0.1:port/kurento}
	 */
	public String url() {
		DisposableServer bound = this.server;
		int actual = (bound != null) ? bound.port() : this.port;
		return "ws://127.0.0.1:" + actual + "/kurento";
	}

	/**
	 * @return every request received, oldest first
	 */
	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * @param method {@code create}, {@code invoke}, …
	 * @param what the type created or the operation invoked; {@code null} for any
	 * @return how many such requests arrived
	 */
	public long count(String method, @Nullable String what) {
		return this.requests.stream()
			.filter((r) -> r.method().equals(method) && (what == null || what.equals(r.what())))
			.count();
	}

	/**
	 * @param type e.g. {@code MediaPipeline}
	 * @return objects of that type alive now
	 */
	public long live(String type) {
		return this.objects.values().stream().filter((o) -> o.type.equals(type)).count();
	}

	/**
	 * @param type e.g. {@code RecorderEndpoint}
	 * @return the live objects of that type
	 */
	public List<MediaObject> objects(String type) {
		return this.objects.values().stream().filter((o) -> o.type.equals(type)).toList();
	}

	/**
	 * @return how many times it restarted
	 */
	public int restarts() {
		return this.restarts.get();
	}

	/**
	 * Restarts as a KMS process would: every socket closed, every object and session
	 * forgotten, a new server id. The port stays, so the clients reconnect.
	 */
	public void restart() {
		this.objects.clear();
		this.sessions.clear();
		this.serverId = UUID.randomUUID().toString();
		this.restarts.incrementAndGet();
		forgetMedia();
		for (Runnable drop : List.copyOf(this.sockets.values())) {
			// As a process that dies: the TCP connection goes, without a close frame.
			drop.run();
		}
	}

	/** Stops listening and closes every socket: the server is unreachable. */
	public void stop() {
		for (Runnable drop : List.copyOf(this.sockets.values())) {
			// As a process that dies: the TCP connection goes, without a close frame.
			drop.run();
		}
		DisposableServer bound = this.server;
		this.server = null;
		if (bound != null) {
			bound.disposeNow(Duration.ofSeconds(5));
		}
	}

	@Override
	public void close() {
		stop();
		StandInWebRtcMedia peers = this.media;
		this.media = null;
		if (peers != null) {
			peers.close();
		}
	}

	private void handle(String frame, Sinks.Many<String> socket) {
		JsonNode request = json.readTree(frame);
		JsonNode id = request.get("id");
		String method = request.path("method").asString("");
		JsonNode params = request.path("params");
		String what = params.path("type").asString(params.path("operation").asString(null));
		this.requests.add(new Request(method, what, params.path("object").asString(null), params));
		ObjectNode result = nodes.objectNode();
		try {
			String sessionId = params.path("sessionId").asString(null);
			if (method.equals("create")) {
				// KMS keeps a session from the first object made in it.
				if (sessionId == null) {
					sessionId = UUID.randomUUID().toString();
				}
				this.sessions.add(sessionId);
			}
			switch (method) {
				case "connect" -> {
					if (sessionId != null && !this.sessions.contains(sessionId)) {
						throw new KmsError(40007, "Invalid session", "INVALID_SESSION");
					}
					String session = (sessionId != null) ? sessionId : UUID.randomUUID().toString();
					this.sessions.add(session);
					result.put("sessionId", session);
					result.put("serverId", this.serverId);
				}
				case "ping" -> {
					result.put("value", "pong");
					if (sessionId != null) {
						result.put("sessionId", sessionId);
					}
				}
				case "closeSession" -> result.put("sessionId", sessionId);
				case "create" -> result.put("value", create(params).id);
				case "invoke" -> invoke(params, result, socket);
				case "subscribe" -> {
					MediaObject object = object(params.path("object").asString(""));
					String subscription = UUID.randomUUID().toString();
					object.subscriptions.put(params.path("type").asString(""), socket);
					result.put("value", subscription);
				}
				case "unsubscribe" -> object(params.path("object").asString(""));
				case "release" -> release(object(params.path("object").asString("")));
				case "describe" -> result.put("type", object(params.path("object").asString("")).type);
				default -> throw new KmsError(-32601, "Method not found", null);
			}
			if (sessionId != null && !result.has("sessionId")) {
				result.put("sessionId", sessionId);
			}
			if (id != null) {
				ObjectNode response = nodes.objectNode().put("jsonrpc", "2.0");
				response.set("id", id);
				response.set("result", result);
				send(socket, response.toString());
			}
		}
		catch (KmsError error) {
			ObjectNode response = nodes.objectNode().put("jsonrpc", "2.0");
			response.set("id", id);
			ObjectNode body = response.putObject("error").put("code", error.code).put("message", error.getMessage());
			if (error.type != null) {
				body.putObject("data").put("type", error.type);
			}
			send(socket, response.toString());
		}
	}

	private MediaObject create(JsonNode params) {
		String type = params.path("type").asString("");
		if (!TYPES.contains(type)) {
			throw new KmsError(40100, "Type '" + type + "' not found", "MEDIA_OBJECT_TYPE_NOT_FOUND");
		}
		JsonNode constructor = params.path("constructorParams");
		String id;
		String pipeline = null;
		if (type.equals("MediaPipeline")) {
			id = UUID.randomUUID() + "_kurento.MediaPipeline";
		}
		else {
			pipeline = object(constructor.path("mediaPipeline").asString("")).id;
			id = pipeline + "/" + UUID.randomUUID() + "_kurento." + type;
		}
		MediaObject object = new MediaObject(id, type, pipeline, constructor);
		this.objects.put(id, object);
		return object;
	}

	private MediaObject object(String id) {
		MediaObject object = this.objects.get(id);
		if (object == null) {
			throw new KmsError(40101, "Object '" + id + "' not found", "MEDIA_OBJECT_NOT_FOUND");
		}
		return object;
	}

	private void release(MediaObject object) {
		this.objects.remove(object.id);
		if (object.type.equals("MediaPipeline")) {
			this.objects.values().removeIf((child) -> object.id.equals(child.pipeline));
		}
		forgetMedia();
	}

	private void invoke(JsonNode params, ObjectNode result, Sinks.Many<String> socket) {
		MediaObject object = object(params.path("object").asString(""));
		String operation = params.path("operation").asString("");
		JsonNode args = params.path("operationParams");
		switch (operation) {
			case "processOffer" -> {
				if (object.remoteSdp != null) {
					throw new KmsError(40208, "Endpoint already negotiated", "SDP_END_POINT_ALREADY_NEGOTIATED");
				}
				object.remoteSdp = args.path("offer").asString("");
				StandInWebRtcMedia peers = this.media;
				object.localSdp = (peers != null && object.type.equals("WebRtcEndpoint"))
						? peers.answer(object.id, object.remoteSdp) : answer(object.remoteSdp);
				result.put("value", object.localSdp);
			}
			case "gatherCandidates" -> {
				if (object.localSdp == null) {
					throw new KmsError(40202, "No local SDP", "SDP_END_POINT_NO_LOCAL_SDP_ERROR");
				}
				StandInWebRtcMedia peers = this.media;
				if (peers != null && object.type.equals("WebRtcEndpoint")) {
					peers.gather(object.id, (found) -> {
						ObjectNode candidate = nodes.objectNode()
							.put("__module__", "kurento")
							.put("__type__", "IceCandidate")
							.put("candidate", found.sdp)
							.put("sdpMid", found.sdpMid)
							.put("sdpMLineIndex", found.sdpMLineIndex);
						ObjectNode data = nodes.objectNode();
						data.set("candidate", candidate);
						emit(object, "IceCandidateFound", data);
					}, () -> emit(object, "IceGatheringDone", nodes.objectNode()));
					return;
				}
				int index = 0;
				for (String mid : mids(object.localSdp)) {
					ObjectNode candidate = nodes.objectNode()
						.put("__module__", "kurento")
						.put("__type__", "IceCandidate")
						.put("candidate",
								"candidate:1 1 UDP 2015363327 127.0.0.1 " + this.candidatePorts.getAndIncrement()
										+ " typ host")
						.put("sdpMid", mid)
						.put("sdpMLineIndex", index++);
					ObjectNode data = nodes.objectNode();
					data.set("candidate", candidate);
					emit(object, "IceCandidateFound", data);
				}
				emit(object, "IceGatheringDone", nodes.objectNode());
			}
			case "addIceCandidate" -> {
				object.remoteCandidates.add(args.path("candidate"));
				StandInWebRtcMedia peers = this.media;
				JsonNode candidate = args.path("candidate");
				if (peers != null) {
					peers.candidate(object.id, candidate.path("sdpMid").asString(""),
							candidate.path("sdpMLineIndex").asInt(0), candidate.path("candidate").asString(""));
				}
			}
			case "connect" -> {
				MediaObject sink = object(args.path("sink").asString(""));
				object.sinks.add(sink.id);
				StandInWebRtcMedia peers = this.media;
				if (peers != null) {
					peers.connect(object.id, sink.id);
				}
				for (String mediaType : List.of("AUDIO", "VIDEO")) {
					emit(sink, "MediaFlowInStateChanged",
							nodes.objectNode()
								.put("state", "FLOWING")
								.put("padName", "default")
								.put("mediaType", mediaType));
				}
			}
			case "disconnect" -> object.sinks.remove(args.path("sink").asString(""));
			case "record" -> {
				object.state = "RECORDING";
				emit(object, "Recording", nodes.objectNode());
			}
			case "stop", "stopAndWait" -> {
				object.state = "STOP";
				emit(object, "Stopped", nodes.objectNode());
			}
			case "pause" -> object.state = "PAUSE";
			case "getState" -> result.put("value", object.state);
			case "isMediaFlowingIn", "isMediaFlowingOut" -> result.put("value", object.remoteSdp != null);
			case "getLocalSessionDescriptor" -> result.put("value", object.localSdp);
			case "getRemoteSessionDescriptor" -> result.put("value", object.remoteSdp);
			default -> {
				if (operation.startsWith("set") && args.size() == 1) {
					object.properties.put(operation.substring(3), args.values().iterator().next());
				}
				else if (operation.startsWith("get") && object.properties.containsKey(operation.substring(3))) {
					result.set("value", object.properties.get(operation.substring(3)));
				}
				else {
					throw new KmsError(40105, "Method '" + operation + "' not found", "MEDIA_OBJECT_METHOD_NOT_FOUND");
				}
			}
		}
	}

	/** Sends an event to the session that subscribed to it, as KMS does. */
	private void emit(MediaObject object, String type, ObjectNode data) {
		Sinks.Many<String> socket = object.subscriptions.get(type);
		if (socket == null) {
			return;
		}
		long now = System.currentTimeMillis();
		data.put("source", object.id);
		data.set("tags", nodes.arrayNode());
		data.put("timestamp", String.valueOf(now / 1000));
		data.put("timestampMillis", String.valueOf(now));
		data.put("type", type);
		ObjectNode value = nodes.objectNode();
		value.set("data", data);
		value.put("object", object.id);
		value.put("type", type);
		ObjectNode event = nodes.objectNode().put("jsonrpc", "2.0").put("method", "onEvent");
		event.putObject("params").set("value", value);
		send(socket, event.toString());
	}

	/**
	 * One frame out: the media mode's events come from other threads than the replies.
	 */
	private static void send(Sinks.Many<String> socket, String frame) {
		synchronized (socket) {
			socket.tryEmitNext(frame);
		}
	}

	/** The mids of an SDP's media sections, in order. */
	static List<String> mids(String sdp) {
		List<String> mids = new ArrayList<>();
		for (String line : sdp.split("\r?\n")) {
			if (line.startsWith("a=mid:")) {
				mids.add(line.substring(6).trim());
			}
		}
		return mids;
	}

	/**
	 * An answer to a browser's offer: each media section mirrored (its codecs and their
	 * parameters, its mid), the direction turned around, own ICE credentials and DTLS
	 * fingerprint, the passive DTLS role, ICE lite, everything bundled.
	 */
	public String answer(String offer) {
		List<List<String>> sections = new ArrayList<>();
		List<String> current = null;
		for (String line : offer.split("\r?\n")) {
			if (line.startsWith("m=")) {
				current = new ArrayList<>();
				sections.add(current);
			}
			if (current != null && !line.isBlank()) {
				current.add(line);
			}
		}
		String ufrag = token(8);
		String pwd = token(24);
		byte[] digest = new byte[32];
		this.random.nextBytes(digest);
		String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
		List<String> mids = new ArrayList<>();
		StringBuilder media = new StringBuilder();
		int track = 0;
		for (List<String> section : sections) {
			String[] m = section.get(0).substring(2).split(" ");
			boolean rejected = "0".equals(m[1]);
			Map<String, String> kept = new LinkedHashMap<>();
			String mid = null;
			String direction = "sendrecv";
			for (String line : section.subList(1, section.size())) {
				if (line.startsWith("a=mid:")) {
					mid = line.substring(6).trim();
				}
				else if (line.equals("a=sendonly")) {
					direction = "recvonly";
				}
				else if (line.equals("a=recvonly")) {
					direction = "sendonly";
				}
				else if (line.equals("a=inactive")) {
					direction = "inactive";
				}
				else if (line.startsWith("a=rtpmap:") || line.startsWith("a=fmtp:") || line.startsWith("a=rtcp-fb:")
						|| line.startsWith("a=sctp-port:") || line.startsWith("a=max-message-size:")) {
					kept.put(line, line);
				}
			}
			m[1] = rejected ? "0" : "9";
			media.append("m=").append(String.join(" ", m)).append("\r\n");
			media.append("c=IN IP4 0.0.0.0\r\n");
			if (!m[0].equals("application")) {
				media.append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
			}
			media.append("a=ice-ufrag:").append(ufrag).append("\r\n");
			media.append("a=ice-pwd:").append(pwd).append("\r\n");
			media.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
			media.append("a=setup:passive\r\n");
			if (mid != null) {
				media.append("a=mid:").append(mid).append("\r\n");
				if (!rejected) {
					mids.add(mid);
				}
			}
			if (!m[0].equals("application")) {
				media.append("a=").append(direction).append("\r\n");
				if (direction.startsWith("send")) {
					media.append("a=msid:standin-stream standin-track-").append(track++).append("\r\n");
				}
				media.append("a=rtcp-mux\r\n");
			}
			for (String line : kept.keySet()) {
				media.append(line).append("\r\n");
			}
		}
		StringBuilder sdp = new StringBuilder();
		sdp.append("v=0\r\n");
		sdp.append("o=- ").append(Math.abs(this.random.nextLong() % 1_000_000_000L)).append(" 2 IN IP4 127.0.0.1\r\n");
		sdp.append("s=Kurento Media Server\r\n");
		sdp.append("t=0 0\r\n");
		sdp.append("a=ice-lite\r\n");
		if (!mids.isEmpty()) {
			sdp.append("a=group:BUNDLE ").append(String.join(" ", mids)).append("\r\n");
		}
		sdp.append("a=msid-semantic: WMS standin-stream\r\n");
		return sdp.append(media).toString();
	}

	private String token(int length) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		StringBuilder token = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			token.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return token.toString();
	}

	/**
	 * One request as received.
	 *
	 * @param method the JSON-RPC method
	 * @param what the type created or the operation invoked (or subscribed event type)
	 * @param object the object addressed, if any
	 * @param params the whole params
	 */
	public record Request(String method, @Nullable String what, @Nullable String object, JsonNode params) {
	}

	/** One object in the stand-in's table. */
	public static final class MediaObject {

		final String id;

		final String type;

		final @Nullable String pipeline;

		final JsonNode constructorParams;

		final Map<String, Sinks.Many<String>> subscriptions = new ConcurrentHashMap<>();

		final Map<String, JsonNode> properties = new ConcurrentHashMap<>();

		final Set<String> sinks = ConcurrentHashMap.newKeySet();

		final List<JsonNode> remoteCandidates = new CopyOnWriteArrayList<>();

		volatile @Nullable String remoteSdp;

		volatile @Nullable String localSdp;

		volatile String state = "STOP";

		MediaObject(String id, String type, @Nullable String pipeline, JsonNode constructorParams) {
			this.id = id;
			this.type = type;
			this.pipeline = pipeline;
			this.constructorParams = constructorParams;
		}

		/**
		 * @return the object id
		 */
		public String id() {
			return this.id;
		}

		/**
		 * @return its constructor's parameters (e.g. a recorder's {@code uri} and
		 * {@code mediaProfile})
		 */
		public JsonNode constructorParams() {
			return this.constructorParams;
		}

		/**
		 * @return what was set with {@code set…} operations, by property name
		 */
		public Map<String, JsonNode> properties() {
			return this.properties;
		}

		/**
		 * @return the ids of the elements it feeds
		 */
		public Set<String> sinks() {
			return this.sinks;
		}

		/**
		 * @return e.g. {@code RECORDING} for a recorder that records
		 */
		public String state() {
			return this.state;
		}

		/**
		 * @return the remote candidates added
		 */
		public List<JsonNode> remoteCandidates() {
			return this.remoteCandidates;
		}

	}

	/** An error as KMS sends it. */
	private static final class KmsError extends RuntimeException {

		final int code;

		final @Nullable String type;

		KmsError(int code, String message, @Nullable String type) {
			super(message);
			this.code = code;
			this.type = type;
		}

	}

}
