package nl.beeldzorg.sfu;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import nl.beeldzorg.cluster.NodeId;
import nl.beeldzorg.cluster.RedisMediaOwners;
import nl.beeldzorg.cluster.RedisProperties;
import nl.beeldzorg.signalling.MediaBroker;
import nl.beeldzorg.signalling.PeerToPeerBroker;
import nl.beeldzorg.signalling.kurento.KurentoMediaBroker;
import nl.beeldzorg.signalling.kurento.KurentoSettings;
import nl.beeldzorg.signalling.kurento.MediaMode;
import nl.beeldzorg.signalling.kurento.MediaServer;
import nl.beeldzorg.signalling.kurento.SharedMediaBroker;
import nl.beeldzorg.system.BeeldzorgProperties;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * The media broker the signalling engine uses: peer to peer, or Kurento over
 * {@code beeldzorg.media.kurento-urls}; with Kurento, each media server's state in
 * {@code /actuator/health} ({@code mediaServers}) and its load as gauges.
 */
@Configuration(proxyBeanMethods = false)
class MediaConfiguration {

	/**
	 * Some or all media servers away: consults that need the SFU move to another server
	 * or, with none, go peer to peer, and recording is refused. The node serves on (200).
	 */
	static final Status DEGRADED = new Status("DEGRADED",
			"A media server is unreachable: its consults moved to another or went peer to peer; recording needs one that is up");

	/** A Kurento broker is closed with the context (its {@code close()} is inferred). */
	@Bean
	MediaBroker mediaBroker(MediaProperties media, BeeldzorgProperties properties, RedisProperties redis,
			ObjectProvider<ReactiveStringRedisTemplate> redisTemplate,
			ObjectProvider<ReactiveRedisMessageListenerContainer> redisListeners, ObjectProvider<NodeId> node) {
		MediaMode mode = MediaMode.of(media.mode());
		if (mode == MediaMode.P2P) {
			return new PeerToPeerBroker();
		}
		KurentoMediaBroker broker = new KurentoMediaBroker(new KurentoSettings(mode, media.urls(),
				properties.clients().maxVideoKbps(), media.failoverAfter(), media.probeInterval()));
		broker.start();
		if (redis.url() == null || redis.url().isBlank()) {
			return broker;
		}
		// Several nodes, no stickiness: one node owns each consult's media.
		RedisMediaOwners owners = new RedisMediaOwners(redisTemplate.getObject(), redisListeners.getObject(),
				node.getObject(), redis, media.ownerLease());
		return new SharedMediaBroker(broker, owners, media.ownerLease().dividedBy(3));
	}

	/** The node's own media servers, behind the one shared between nodes. */
	static @Nullable KurentoMediaBroker kurento(MediaBroker broker) {
		if (broker instanceof SharedMediaBroker shared) {
			return shared.kurento();
		}
		return (broker instanceof KurentoMediaBroker kurento) ? kurento : null;
	}

	/**
	 * {@code mediaServers} in {@code /actuator/health}: one component per media server,
	 * named {@code host-port}, {@code UP} or {@code DEGRADED} while it is unreachable (as
	 * Redis: HTTP 200, the node serves on), with its state, since when and its load as
	 * details where details are shown. Peer to peer: {@code UP}, nothing to reach.
	 */
	@Bean("mediaServers")
	ReactiveHealthContributor mediaServersHealth(MediaBroker broker) {
		KurentoMediaBroker kurento = kurento(broker);
		if (kurento == null) {
			return (ReactiveHealthIndicator) () -> Mono.just(Health.up().withDetail("mode", "p2p").build());
		}
		Map<String, ReactiveHealthIndicator> servers = new LinkedHashMap<>();
		for (MediaServer server : kurento.servers()) {
			servers.put(name(server.url()), () -> Mono.just(health(server)));
		}
		return CompositeReactiveHealthContributor.fromMap(servers);
	}

	private static Health health(MediaServer server) {
		Health.Builder health = (server.state() == MediaServer.State.UP) ? Health.up() : Health.status(DEGRADED);
		health.withDetail("url", server.url())
			.withDetail("state", server.state().name())
			.withDetail("since", server.since().toString())
			.withDetail("pipelines", server.pipelines())
			.withDetail("endpoints", server.endpoints());
		if (server.error() != null && server.state() != MediaServer.State.UP) {
			health.withDetail("error", server.error());
		}
		return health.build();
	}

	/** {@code ws://kms-1:8888/kurento} → {@code kms-1-8888}. */
	static String name(String url) {
		java.net.URI uri = java.net.URI.create(url);
		String host = (uri.getHost() != null) ? uri.getHost() : url.replaceAll("[^A-Za-z0-9.-]", "-");
		return (uri.getPort() > 0) ? host + "-" + uri.getPort() : host;
	}

	/**
	 * Pipelines and endpoints this node holds on each media server, for Prometheus.
	 */
	@Bean
	MeterBinder mediaServerMetrics(MediaBroker broker) {
		return (registry) -> {
			KurentoMediaBroker kurento = kurento(broker);
			if (kurento == null) {
				return;
			}
			for (MediaServer server : kurento.servers()) {
				Gauge.builder("beeldzorg.media.pipelines", server, MediaServer::pipelines)
					.description("Kurento media pipelines (one per consult through the SFU) this node holds")
					.tag("server", server.url())
					.register(registry);
				Gauge.builder("beeldzorg.media.endpoints", server, MediaServer::endpoints)
					.description("Kurento endpoints (WebRTC and recorder) this node holds")
					.tag("server", server.url())
					.register(registry);
			}
		};
	}

}
