package nl.beeldzorg.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.RelayBus;
import nl.beeldzorg.signalling.protocol.SignalCodec;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Signalling across nodes through Redis pub/sub, on two kinds of channel:
 * <ul>
 * <li>one per room, to which every node with a peer of the room subscribes: what is for
 * the whole room, and what is for one peer whose node this node does not know;</li>
 * <li>one per node: what is for one peer goes to the node that holds it alone, once this
 * node knows which that is. It learns that from the room's traffic: a peer's offers,
 * answers and candidates name the node they came from; a {@code peer-joined} makes it
 * forget (the peer took its seat again, perhaps on another node). So the sender's node
 * does not get its own message back, and a room's third node none that is not for
 * it.</li>
 * </ul>
 * A message on a room channel is {@code node \n to \n except \n take \n frame} (take: see
 * {@link Envelope#take()}); a node skips what it published itself (it delivered that
 * locally already). On a node channel one {@code PUBLISH} carries a batch:
 * {@code node \n} and then, per message, {@code room \n to \n except \n take \n frame \n}
 * (frames are compact JSON, without line breaks). A node publishes each message at once
 * while Redis has none of its batches unanswered, and what came meanwhile as the next
 * batch.
 * <p>
 * Nothing is lost when the knowledge is stale: a node channel nobody listens to (its node
 * died, or runs a build without node channels) answers the {@code PUBLISH} with 0
 * receivers, and the message goes to the room's channel instead; a node that gets a
 * message on its channel for a peer it no longer holds (the peer moved on, and the sender
 * has not heard yet) passes it on to the room's channel.
 * <p>
 * Two connections of its own on the installation's Redis client: one publishes, in the
 * order the engine hands messages over (a sender's messages leave in the order sent, and
 * one subscriber connection per node receives both kinds of channel in that order), one
 * subscribes, and hands each message to its room through one map lookup, however many
 * rooms the node holds (a listener per room would test every message against every room).
 * Lettuce subscribes the channels again by itself after a reconnect.
 */
@Component
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class RedisRelayBus implements RelayBus, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RedisRelayBus.class);

	/** A node that cannot subscribe within this long refuses the join (it may retry). */
	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(8);

	/**
	 * Channels as text, messages as bytes: the JDK turns a message into UTF-8 bytes (and
	 * back) a block at a time, where the client's text codec goes a character at a time.
	 */
	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	/** At most this many messages in one batch (an offer is a few KB). */
	private static final int MAX_BATCH = 64;

	private final String node;

	private final String prefix;

	private final SignalCodec codec = new SignalCodec();

	/** The channels of nodes: this prefix and the node's id. */
	private final String nodes;

	private final String nodeChannel;

	/** The first line of this node's batches: its id and a line break, UTF-8. */
	private final byte[] nodeLine;

	private final Map<String, RoomChannel> rooms = new ConcurrentHashMap<>();

	private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();

	/** Whether a batch is on its way to Redis. */
	private final AtomicBoolean sending = new AtomicBoolean();

	private final Mono<StatefulRedisConnection<String, byte[]>> publisher;

	private final Mono<StatefulRedisPubSubConnection<String, byte[]>> subscriber;

	RedisRelayBus(LettuceConnectionFactory connections, NodeId node, RedisProperties properties) {
		this.node = node.value();
		this.prefix = properties.keyPrefix() + "signalling:room:";
		this.nodes = properties.keyPrefix() + "signalling:node:";
		this.nodeChannel = this.nodes + this.node;
		this.nodeLine = bytes(this.node + '\n');
		RedisURI uri = RedisURI.create(Objects.requireNonNull(properties.url()));
		this.publisher = cached(
				Mono.defer(() -> Mono.fromCompletionStage(client(connections).connectAsync(CODEC, uri))));
		this.subscriber = cached(
				Mono.defer(() -> Mono.fromCompletionStage(client(connections).connectPubSubAsync(CODEC, uri)))
					.doOnNext((connection) -> connection.addListener(new RedisPubSubAdapter<>() {
						@Override
						public void message(String channel, byte[] message) {
							RedisRelayBus.this.message(channel, new String(message, StandardCharsets.UTF_8));
						}
					}))
					// Before any room: others learn of this node only from what it
					// publishes after a join, and a join waits for its room's channel
					// on this connection.
					.flatMap((connection) -> connection.reactive().subscribe(this.nodeChannel).thenReturn(connection)));
	}

	@Override
	public void publish(Envelope envelope) {
		String to = envelope.toPeerId();
		String entry = orEmpty(to) + '\n' + orEmpty(envelope.exceptPeerId()) + '\n' + envelope.take() + '\n'
				+ this.codec.encode(envelope.message());
		RoomChannel room = this.rooms.get(envelope.roomId());
		String node = (to != null && room != null) ? room.nodeOf(to) : null;
		this.outbox
			.add(Outgoing.of(envelope.roomId(), (node != null && !node.equals(this.node)) ? node : null, to, entry));
		send();
	}

	/**
	 * Publishes what waits in the outbox, unless a batch is on its way: then the batch's
	 * answer sends what came meanwhile. So a quiet node publishes each message at once,
	 * and a busy one what came in one round trip to Redis as one batch, all for one node
	 * in one {@code PUBLISH}. The connection's own asynchronous calls: a message costs no
	 * reactive publisher. Messages leave in the order handed over.
	 */
	private void send() {
		while (!this.outbox.isEmpty() && this.sending.compareAndSet(false, true)) {
			List<Outgoing> batch = new ArrayList<>();
			Outgoing next;
			while (batch.size() < MAX_BATCH && (next = this.outbox.poll()) != null) {
				batch.add(next);
			}
			if (batch.isEmpty()) {
				this.sending.set(false);
				continue;
			}
			this.publisher.subscribe((connection) -> send(connection.async(), batch), (ex) -> {
				relayFailed(batch, ex);
				this.sending.set(false);
				send();
			});
			return;
		}
	}

	private void send(RedisAsyncCommands<String, byte[]> commands, List<Outgoing> batch) {
		CompletionStage<Long> last = null;
		for (int i = 0; i < batch.size();) {
			Outgoing first = batch.get(i);
			String node = first.node();
			if (node == null) {
				last = commands.publish(channel(first.roomId()), bytes(this.node + '\n' + first.entry()));
				i++;
				continue;
			}
			int end = i;
			int length = this.nodeLine.length;
			while (end < batch.size() && node.equals(batch.get(end).node())) {
				length += batch.get(end++).line().length;
			}
			// Put together as bytes, each message encoded once (in publish): a batch
			// costs one copy of what it carries.
			byte[] payload = Arrays.copyOf(this.nodeLine, length);
			int at = this.nodeLine.length;
			for (int k = i; k < end; k++) {
				byte[] line = batch.get(k).line();
				System.arraycopy(line, 0, payload, at, line.length);
				at += line.length;
			}
			List<Outgoing> group = batch.subList(i, end);
			// The next batch waits until what had to go through the rooms instead is
			// on its way too: messages leave in the order handed over.
			last = commands.publish(this.nodes + node, payload).thenApply((receivers) -> {
				if (receivers == 0) {
					// Nobody listens there (the node died): through the rooms instead.
					for (Outgoing outgoing : group) {
						RoomChannel room = this.rooms.get(outgoing.roomId());
						if (room != null && outgoing.to() != null) {
							room.forget(outgoing.to(), node);
						}
						commands.publish(channel(outgoing.roomId()), bytes(this.node + '\n' + outgoing.entry()));
					}
				}
				return receivers;
			});
			i = end;
		}
		Objects.requireNonNull(last).whenComplete((receivers, ex) -> {
			if (ex != null) {
				relayFailed(batch, ex);
			}
			this.sending.set(false);
			send();
		});
	}

	private static void relayFailed(List<Outgoing> batch, Throwable ex) {
		logger.warn("Could not relay {} message(s) through Redis (consult {}, ...): {}", batch.size(),
				batch.get(0).roomId(), ex.toString());
	}

	@Override
	public Disposable subscribe(String roomId, Predicate<Envelope> delivery) {
		String channel = channel(roomId);
		Mono<Void> ready = this.subscriber.flatMap((connection) -> connection.reactive().subscribe(channel)).cache();
		RoomChannel room = new RoomChannel(delivery, ready);
		this.rooms.put(roomId, room);
		ready.subscribe(null, (ex) -> logger.warn("Could not subscribe to the Redis channel of consult {}: {}", roomId,
				ex.toString()));
		return () -> {
			if (this.rooms.remove(roomId, room)) {
				this.subscriber.flatMap((connection) -> connection.reactive().unsubscribe(channel))
					.subscribe(null, (ex) -> logger.debug("Could not unsubscribe from {}: {}", channel, ex.toString()));
			}
		};
	}

	@Override
	public Mono<Void> subscribed(String roomId) {
		RoomChannel room = this.rooms.get(roomId);
		return (room != null) ? room.ready.timeout(SUBSCRIBE_TIMEOUT) : Mono.empty();
	}

	@Override
	public void destroy() {
		this.publisher.subscribe(StatefulRedisConnection::closeAsync, (ex) -> {
		});
		this.subscriber.subscribe(StatefulRedisPubSubConnection::closeAsync, (ex) -> {
		});
	}

	private void message(String channel, String payload) {
		int source = payload.indexOf('\n');
		if (source < 0 || (source == this.node.length() && payload.startsWith(this.node))) {
			// Unreadable, or this node's own (delivered locally already).
			return;
		}
		String from = payload.substring(0, source);
		if (channel.equals(this.nodeChannel)) {
			// node \n (room \n to \n except \n take \n frame \n)*: frames are compact
			// JSON, with no line break of their own.
			int at = source + 1;
			while (at < payload.length()) {
				int room = payload.indexOf('\n', at);
				int end = (room < 0) ? -1 : nthLineBreak(payload, room + 1, 4);
				if (end < 0) {
					logger.warn("Skipped the unreadable rest of a batch relayed from {}", from);
					return;
				}
				String roomId = payload.substring(at, room);
				if (!receive(roomId, from, payload, room + 1, end)) {
					// Not for a peer here (any more): the room's other nodes may hold it.
					// As published by this node, so the one that sent it hears it too.
					this.outbox.add(Outgoing.of(roomId, null, null, payload.substring(room + 1, end)));
					send();
				}
				at = end + 1;
			}
		}
		else if (channel.startsWith(this.prefix)) {
			receive(channel.substring(this.prefix.length()), from, payload, source + 1, payload.length());
		}
	}

	private static int nthLineBreak(String text, int from, int n) {
		int at = from - 1;
		for (int i = 0; i < n && at < text.length(); i++) {
			at = text.indexOf('\n', at + 1);
			if (at < 0) {
				return -1;
			}
		}
		return at;
	}

	/**
	 * @param text holds the entry, {@code to \n except \n take \n frame}, from
	 * {@code start} to {@code end} (read in place: a message is copied out of what Redis
	 * delivered only as its frame)
	 * @return false when the message was for one peer and no peer here took it; true when
	 * a peer took it, or it was unreadable
	 */
	private boolean receive(String roomId, String source, String text, int start, int end) {
		RoomChannel room = this.rooms.get(roomId);
		int first = text.indexOf('\n', start);
		int second = (first < 0) ? -1 : text.indexOf('\n', first + 1);
		int third = (second < 0) ? -1 : text.indexOf('\n', second + 1);
		if (first < 0 || second < 0 || third < 0 || third >= end) {
			return true;
		}
		if (room == null) {
			// No peer of the room here: nothing to do for the room, and a message for
			// one peer goes on to the room's other nodes.
			return first == start;
		}
		String frame = text.substring(third + 1, end);
		SignalMessage message = this.codec.decode(frame).message();
		if (message == null) {
			logger.warn("Skipped an unreadable relayed message in consult {}", roomId);
			return true;
		}
		String to = text.substring(start, first);
		String except = text.substring(first + 1, second);
		long take;
		try {
			take = Long.parseLong(text, second + 1, third, 10);
		}
		catch (NumberFormatException ex) {
			logger.warn("Skipped a relayed message with an unreadable seat in consult {}", roomId);
			return true;
		}
		if (message instanceof SignalMessage.Negotiation negotiation) {
			String from = negotiation.from();
			if (from != null && !from.equals(SignalMessage.SFU)) {
				room.learn(from, source);
			}
		}
		else if (message instanceof SignalMessage.PeerJoined joined) {
			room.forget(joined.peer().peerId(), null);
		}
		else if (message instanceof SignalMessage.PeerLeft left) {
			room.forget(left.peerId(), null);
		}
		boolean taken = room.delivery.test(
				new Envelope(roomId, to.isEmpty() ? null : to, except.isEmpty() ? null : except, message, take, frame));
		return taken || to.isEmpty();
	}

	/**
	 * @param roomId a room of this node
	 * @param peerId a peer of it
	 * @return the node this bus sends the peer's messages to, if it knows one
	 */
	@Nullable String nodeOf(String roomId, String peerId) {
		RoomChannel room = this.rooms.get(roomId);
		return (room != null) ? room.nodeOf(peerId) : null;
	}

	private String channel(String roomId) {
		return this.prefix + roomId;
	}

	private static RedisClient client(LettuceConnectionFactory connections) {
		AbstractRedisClient client = connections.getRequiredNativeClient();
		if (!(client instanceof RedisClient redis)) {
			throw new IllegalStateException("Signalling across nodes needs a standalone Redis client");
		}
		return redis;
	}

	/** Connects once; a failed attempt is not kept, so the next use tries again. */
	private static <T> Mono<T> cached(Mono<T> connect) {
		return connect.cache((connection) -> Duration.ofDays(36_500), (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	private static byte[] bytes(String payload) {
		return payload.getBytes(StandardCharsets.UTF_8);
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	/**
	 * A message waiting to be published.
	 *
	 * @param roomId its room
	 * @param node the node to send it to alone, or {@code null} for the room's channel
	 * @param to its one addressee, if any
	 * @param entry {@code to \n except \n take \n frame}
	 * @param line for a node's channel: {@code room \n entry \n}, UTF-8
	 */
	private record Outgoing(String roomId, @Nullable String node, @Nullable String to, String entry,
			byte @Nullable [] line) {

		/**
		 * @param node the node to send it to alone, or {@code null} for the room's
		 * channel
		 * @return the message, with its line of a node channel's batch
		 * ({@code room \n entry \n}, UTF-8) when it goes to a node
		 */
		static Outgoing of(String roomId, @Nullable String node, @Nullable String to, String entry) {
			return new Outgoing(roomId, node, to, entry,
					(node != null) ? (roomId + '\n' + entry + '\n').getBytes(StandardCharsets.UTF_8) : null);
		}

		@Override
		public byte[] line() {
			return Objects.requireNonNull(this.line);
		}

	}

	/**
	 * A room of this node: its delivery, its channel's subscription, and the node each of
	 * its peers elsewhere was last heard from.
	 */
	private static final class RoomChannel {

		final Predicate<Envelope> delivery;

		/** Done when this node receives what is published to the room. */
		final Mono<Void> ready;

		private @Nullable Map<String, String> nodes;

		RoomChannel(Predicate<Envelope> delivery, Mono<Void> ready) {
			this.delivery = delivery;
			this.ready = ready;
		}

		synchronized @Nullable String nodeOf(String peerId) {
			return (this.nodes != null) ? this.nodes.get(peerId) : null;
		}

		synchronized void learn(String peerId, String node) {
			if (this.nodes == null) {
				this.nodes = new HashMap<>(4);
			}
			this.nodes.put(peerId, node);
		}

		/** Forgets where the peer is; with a node, only if that is where it was. */
		synchronized void forget(String peerId, @Nullable String node) {
			if (this.nodes != null) {
				if (node == null) {
					this.nodes.remove(peerId);
				}
				else {
					this.nodes.remove(peerId, node);
				}
			}
		}

	}

}
