package nl.beeldzorg.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.protocol.IceCandidate;
import nl.beeldzorg.signalling.protocol.PeerInfo;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay between nodes on the real Redis of this machine: three nodes' buses share a
 * room, each holding its own peers, and a fourth connection listens to every signalling
 * channel of the run, so the tests see which channel a message took. A message for one
 * peer goes to the room's channel until its node is known, then to that node's channel
 * alone; a node that died, or no longer holds the peer, costs a detour through the room's
 * channel, never the message.
 */
class RedisRelayBusTests {

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	private static final String ROOM = "room-1";

	private final String prefix = "beeldzorg-test-" + UUID.randomUUID() + ":";

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisRelayBus> buses = new ArrayList<>();

	/** Every message published on a signalling channel of this run: channel, payload. */
	private final List<String[]> published = new CopyOnWriteArrayList<>();

	private RedisClient listenerClient;

	private StatefulRedisPubSubConnection<String, String> listener;

	private Node a;

	private Node b;

	private Node c;

	@BeforeEach
	void startNodes() {
		this.listenerClient = RedisClient.create(REDIS);
		this.listener = this.listenerClient.connectPubSub();
		this.listener.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				RedisRelayBusTests.this.published.add(new String[] { channel, message });
			}
		});
		this.a = new Node("node-a", "pa");
		this.b = new Node("node-b", "pb");
		this.c = new Node("node-c", "pc");
	}

	@AfterEach
	void stopNodes() {
		this.buses.forEach(RedisRelayBus::destroy);
		this.factories.forEach(LettuceConnectionFactory::destroy);
		this.listener.close();
		this.listenerClient.shutdown();
	}

	@Test
	void aMessageForAPeerWhoseNodeIsKnownGoesToThatNodeAloneInOrder() {
		listen(roomChannel(), nodeChannel("node-a"), nodeChannel("node-b"), nodeChannel("node-c"));
		// pb's node is not known on node A yet: A's first message goes to the room.
		this.a.bus.publish(Envelope.to(ROOM, "pb", offer("pb", "pa", "v=0 first")));
		await().until(() -> this.b.got.size() == 1);
		assertThat(channelsOf("v=0 first")).containsExactly(roomChannel());
		// The offer named pa's node to B (and to C): B's answer goes to node A alone, and
		// names B's node to A.
		assertThat(this.b.bus.nodeOf(ROOM, "pa")).isEqualTo("node-a");
		assertThat(this.c.bus.nodeOf(ROOM, "pa")).isEqualTo("node-a");
		this.b.bus.publish(Envelope.to(ROOM, "pa", answer("pa", "pb", "v=0 answer")));
		await().until(() -> this.a.got.size() == 1);
		assertThat(channelsOf("v=0 answer")).containsExactly(nodeChannel("node-a"));
		assertThat(this.a.bus.nodeOf(ROOM, "pb")).isEqualTo("node-b");
		assertThat(this.c.bus.nodeOf(ROOM, "pb")).as("C never heard pb").isNull();

		int before = this.c.got.size();
		for (int i = 0; i < 200; i++) {
			this.a.bus.publish(Envelope.to(ROOM, "pb", ice("pb", "pa", "candidate " + i)));
		}
		await().until(() -> this.b.got.size() == 201);
		List<String> candidates = this.b.got.subList(1, 201)
			.stream()
			.map((envelope) -> ((SignalMessage.Ice) envelope.message()).candidate().candidate())
			.toList();
		assertThat(candidates).as("in the order sent")
			.containsExactlyElementsOf(
					java.util.stream.IntStream.range(0, 200).mapToObj((i) -> "candidate " + i).toList());
		String nodeB = nodeChannel("node-b");
		assertThat(channelsOf("\"candidate 7\"")).containsExactly(nodeB);
		// Sent faster than Redis answers: batched, several to a PUBLISH.
		assertThat(this.published.stream().filter((p) -> p[0].equals(nodeB)).count()).isBetween(1L, 199L);
		// Neither the room's third node nor the sender's own got them (the sender would
		// have dropped its own: it delivered locally already).
		assertThat(this.c.got).hasSize(before);
		assertThat(this.published.stream().filter((p) -> p[0].equals(roomChannel())).count()).isEqualTo(1);
	}

	@Test
	void aPeerOfADeadNodeIsReachedThroughTheRoomOnceItTookItsSeatElsewhere() {
		// Nobody else on node B's channel: Redis counts every listener of a channel, and
		// the bus takes none for a dead node.
		listen(roomChannel(), nodeChannel("node-a"), nodeChannel("node-c"));
		introduce();
		// Node B dies; pb takes its seat again on node C, which A has not heard yet.
		this.b.bus.destroy();
		await().until(() -> redisSubscribers(nodeChannel("node-b")) == 0);
		this.b.held.remove("pb");
		this.c.held.add("pb");
		this.a.bus.publish(Envelope.to(ROOM, "pb", ice("pb", "pa", "after the death")));
		await().until(() -> this.c.tookFor("pb").size() == 1);
		// Tried on node B's channel first (nobody there), then the room's.
		assertThat(channelsOf("after the death")).containsExactly(roomChannel());
		assertThat(this.a.bus.nodeOf(ROOM, "pb")).as("forgotten").isNull();
	}

	@Test
	void aNodeThatNoLongerHoldsThePeerPassesTheMessageOnToTheRoom() {
		listen(roomChannel(), nodeChannel("node-a"), nodeChannel("node-b"), nodeChannel("node-c"));
		introduce();
		// pb moved from node B (alive) to node C; A has not heard of it yet.
		this.b.held.remove("pb");
		this.c.held.add("pb");
		this.a.bus.publish(Envelope.to(ROOM, "pb", ice("pb", "pa", "after the move")));
		await().until(() -> this.c.tookFor("pb").size() == 1);
		assertThat(channelsOf("after the move")).containsExactly(this.prefix + "signalling:node:node-b", roomChannel());
		// Now C announces pb's new seat: A forgets where pb was, and asks the room again
		// until pb speaks.
		this.c.bus.publish(new Envelope(ROOM, null, "pb",
				new SignalMessage.PeerJoined(new PeerInfo("pb", "user-b", "Bas", "SO")), 2));
		await().until(() -> this.a.bus.nodeOf(ROOM, "pb") == null);
		this.a.bus.publish(Envelope.to(ROOM, "pb", ice("pb", "pa", "asking the room")));
		await().until(() -> this.c.tookFor("pb").size() == 2);
		assertThat(channelsOf("asking the room")).containsExactly(roomChannel());
		this.c.bus.publish(Envelope.to(ROOM, "pa", ice("pa", "pb", "from the new seat")));
		await().until(() -> "node-c".equals(this.a.bus.nodeOf(ROOM, "pb")));
		assertThat(this.c.tookFor("pb")).hasSize(2);
	}

	/**
	 * pa (node A) and pb (node B) exchange a message each, so each knows the other's
	 * node.
	 */
	private void introduce() {
		this.a.bus.publish(Envelope.to(ROOM, "pb", offer("pb", "pa", "v=0 offer")));
		await().until(() -> this.b.tookFor("pb").size() == 1);
		this.b.bus.publish(Envelope.to(ROOM, "pa", answer("pa", "pb", "v=0 answer")));
		await().until(() -> "node-b".equals(this.a.bus.nodeOf(ROOM, "pb")));
	}

	private List<String> channelsOf(String text) {
		await().pollDelay(Duration.ofMillis(200)).until(() -> true);
		return this.published.stream().filter((p) -> p[1].contains(text)).map((p) -> p[0]).toList();
	}

	private long redisSubscribers(String channel) {
		try (var connection = this.listenerClient.connect()) {
			return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
		}
	}

	private void listen(String... channels) {
		this.listener.sync().subscribe(channels);
	}

	private String nodeChannel(String node) {
		return this.prefix + "signalling:node:" + node;
	}

	private String roomChannel() {
		return this.prefix + "signalling:room:" + ROOM;
	}

	private static SignalMessage.Offer offer(String to, String from, String sdp) {
		return new SignalMessage.Offer(to, from, sdp, null);
	}

	private static SignalMessage.Answer answer(String to, String from, String sdp) {
		return new SignalMessage.Answer(to, from, sdp, null);
	}

	private static SignalMessage.Ice ice(String to, String from, String candidate) {
		return new SignalMessage.Ice(to, from, new IceCandidate(candidate, "0", 0, null), null);
	}

	/** One node: its bus, the peers it holds, and what its peers took. */
	private final class Node {

		final RedisRelayBus bus;

		final Set<String> held = ConcurrentHashMap.newKeySet();

		final List<Envelope> got = new CopyOnWriteArrayList<>();

		Node(String name, String peer) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", java.net.URI.create(REDIS).getPort()));
			factory.afterPropertiesSet();
			factory.start();
			RedisRelayBusTests.this.factories.add(factory);
			this.held.add(peer);
			this.bus = new RedisRelayBus(factory, new NodeId(name),
					new RedisProperties(REDIS, RedisRelayBusTests.this.prefix, Duration.ofSeconds(5)));
			RedisRelayBusTests.this.buses.add(this.bus);
			this.bus.subscribe(ROOM, (envelope) -> {
				String to = envelope.toPeerId();
				boolean taken = to == null || this.held.contains(to);
				if (taken) {
					this.got.add(envelope);
				}
				return taken;
			});
			this.bus.subscribed(ROOM).block(Duration.ofSeconds(10));
		}

		List<Envelope> tookFor(String peerId) {
			return this.got.stream().filter((envelope) -> peerId.equals(envelope.toPeerId())).toList();
		}

	}

}
