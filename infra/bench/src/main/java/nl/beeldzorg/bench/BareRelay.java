package nl.beeldzorg.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The limit: a bare Reactor Netty WebSocket relay. Rooms of two ({@code /relay/ROOM});
 * every text frame goes unchanged to the other socket of the room. No JSON, no checks.
 */
final class BareRelay {

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	DisposableServer start(int port) {
		return HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route((routes) -> routes.ws("/relay/{room}", (in, out) -> {
				String roomId = in.headers().get("x-room", "");
				Room room = this.rooms.computeIfAbsent(roomId, (id) -> new Room());
				Sinks.Many<String> mine = Sinks.many().unicast().onBackpressureBuffer();
				int side = room.join(mine);
				Mono<Void> inbound = in.receive().asString().doOnNext((frame) -> room.relay(side, frame)).then();
				return out.sendString(mine.asFlux()).then().and(inbound).doFinally((signal) -> {
					mine.tryEmitComplete();
					this.rooms.remove(roomId, room);
				});
			}, WebsocketServerSpec.builder().maxFramePayloadLength(1 << 20).build()))
			.bindNow();
	}

	static void main(int port) throws InterruptedException {
		DisposableServer server = new BareRelay().start(port);
		System.out.println("bare relay listening on " + server.port());
		server.onDispose().block();
	}

	/** Two sockets; frames from one go to the other. */
	private static final class Room {

		private final Sinks.Many<String>[] sides = newSides();

		@SuppressWarnings("unchecked")
		private static Sinks.Many<String>[] newSides() {
			return new Sinks.Many[2];
		}

		synchronized int join(Sinks.Many<String> sink) {
			int side = (this.sides[0] == null) ? 0 : 1;
			this.sides[side] = sink;
			return side;
		}

		void relay(int from, String frame) {
			Sinks.Many<String> other;
			synchronized (this) {
				other = this.sides[1 - from];
			}
			if (other != null) {
				synchronized (other) {
					other.tryEmitNext(frame);
				}
			}
		}

	}

}
