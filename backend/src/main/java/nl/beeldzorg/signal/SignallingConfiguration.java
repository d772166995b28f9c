package nl.beeldzorg.signal;

import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import nl.beeldzorg.cluster.RedisRelayBus;
import nl.beeldzorg.cluster.RedisSeats;
import nl.beeldzorg.signalling.JoinAuthorizer;
import nl.beeldzorg.signalling.MediaBroker;
import nl.beeldzorg.signalling.RoomObserver;
import nl.beeldzorg.signalling.SignallingEngine;
import nl.beeldzorg.signalling.SignallingSettings;
import nl.beeldzorg.system.BeeldzorgProperties;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

/**
 * The signalling engine of this node, served at {@code /ws/signalling}.
 */
@Configuration(proxyBeanMethods = false)
class SignallingConfiguration implements WebFluxConfigurer {

	/**
	 * Frames up to this size are read so that the engine can answer an oversized one
	 * (over {@code beeldzorg.signalling.max-frame-bytes}) with an error instead of a
	 * dropped connection; beyond it the transport closes the socket (1009).
	 */
	static final int TRANSPORT_FRAME_LIMIT = 1024 * 1024;

	@Bean
	SignallingEngine signallingEngine(JoinAuthorizer authorizer, RoomObserver observer, BeeldzorgProperties properties,
			ObjectProvider<RedisRelayBus> redisBus, ObjectProvider<RedisSeats> redisSeats, MediaBroker broker) {
		BeeldzorgProperties.Signalling config = properties.signalling();
		SignallingSettings settings = new SignallingSettings(config.reconnectGrace(), config.maxFrameBytes(),
				config.messagesPerSecond(), config.messageBurst(), config.maxPeersPerRoom(),
				SignallingSettings.DEFAULTS.outboundBuffer(), config.joinTimeout());
		SignallingEngine.Builder engine = SignallingEngine.builder(authorizer)
			.observer(observer)
			.settings(settings)
			.broker(broker);
		RedisRelayBus bus = redisBus.getIfAvailable();
		RedisSeats seats = redisSeats.getIfAvailable();
		if (bus != null && seats != null) {
			// Several nodes: rooms, seats and the reconnect grace are shared through
			// Redis.
			engine.shared(bus, seats);
		}
		return engine.build();
	}

	/**
	 * Rooms and peers held by this node, for Prometheus ({@code /actuator/prometheus}).
	 */
	@Bean
	MeterBinder signallingMetrics(SignallingEngine engine) {
		return (registry) -> {
			Gauge.builder("beeldzorg.signalling.rooms", engine, SignallingEngine::roomCount)
				.description("Consult rooms with at least one peer on this node")
				.register(registry);
			Gauge.builder("beeldzorg.signalling.peers", engine, SignallingEngine::peerCount)
				.description("Peers held on this node, connected or within their reconnect grace")
				.register(registry);
		};
	}

	@Bean
	HandlerMapping signallingMapping(SignallingEngine engine) {
		return new SimpleUrlHandlerMapping(Map.of("/ws/signalling", new SignallingWebSocketHandler(engine)), -1);
	}

	@Override
	public WebSocketService getWebSocketService() {
		return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(TRANSPORT_FRAME_LIMIT)));
	}

}
