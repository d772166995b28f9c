package nl.beeldzorg.notify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;

import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.Notification;
import org.apache.http.Header;
import org.apache.http.client.methods.HttpPost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import nl.beeldzorg.system.BeeldzorgProperties;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends Web Push messages: the maintained web-push library encrypts the payload for the
 * subscription (RFC 8291, aes128gcm) and signs the VAPID header; the POST itself goes out
 * on the non-blocking WebClient. A push service answering 404 or 410 means the
 * subscription is gone: it is removed.
 */
@Component
public class WebPush {

	private static final Logger logger = LoggerFactory.getLogger(WebPush.class);

	private final PushKeys keys;

	private final PushSubscriptions subscriptions;

	private final WebClient http;

	private final int ttlSeconds;

	WebPush(PushKeys keys, PushSubscriptions subscriptions, BeeldzorgProperties properties) {
		this.keys = keys;
		this.subscriptions = subscriptions;
		this.http = WebClient.create();
		this.ttlSeconds = (int) properties.push().ttl().toSeconds();
	}

	/**
	 * @param userIds who to notify
	 * @param payload the JSON the service worker receives
	 * @return how many push services accepted the message
	 */
	public Mono<Long> send(Collection<String> userIds, String payload) {
		return this.subscriptions.of(userIds)
			.flatMap((subscription) -> deliver(subscription, payload.getBytes(StandardCharsets.UTF_8)), 4)
			.filter((accepted) -> accepted)
			.count();
	}

	private Mono<Boolean> deliver(PushSubscriptions.Subscription subscription, byte[] payload) {
		return Mono.fromCallable(() -> prepare(subscription, payload))
			// Encryption is ECDH plus HKDF and AES-GCM: CPU work, kept off the event
			// loop.
			.subscribeOn(Schedulers.parallel())
			.flatMap((request) -> this.http.post()
				.uri(subscription.endpoint())
				.headers((headers) -> request.headers().forEach(headers::add))
				.bodyValue(request.body())
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())))
			.timeout(Duration.ofSeconds(10))
			.flatMap((status) -> {
				if (status == HttpStatus.NOT_FOUND.value() || status == HttpStatus.GONE.value()) {
					logger.info("Push subscription expired ({}); removed", status);
					return this.subscriptions.remove(subscription.endpoint()).thenReturn(false);
				}
				return Mono.just(status >= 200 && status < 300);
			})
			.onErrorResume((ex) -> {
				logger.warn("Push delivery failed: {}", ex.toString());
				return Mono.just(false);
			});
	}

	// web-push declares jose4j's JoseException (signing the VAPID JWT) among others.
	private Prepared prepare(PushSubscriptions.Subscription subscription, byte[] payload) throws Exception {
		Notification notification = new Notification(subscription.endpoint(),
				nl.martijndwars.webpush.Utils.loadPublicKey(subscription.p256dh()),
				java.util.Base64.getUrlDecoder().decode(subscription.auth()), payload, this.ttlSeconds);
		HttpPost post = this.keys.service().preparePost(notification, Encoding.AES128GCM);
		java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
		for (Header header : post.getAllHeaders()) {
			headers.put(header.getName(), header.getValue());
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		post.getEntity().writeTo(body);
		return new Prepared(headers, body.toByteArray());
	}

	private record Prepared(java.util.Map<String, String> headers, byte[] body) {
	}

	/**
	 * @param userIds some users
	 * @return whether any of them has a push subscription
	 */
	public Flux<String> endpointsOf(Collection<String> userIds) {
		return this.subscriptions.of(userIds).map(PushSubscriptions.Subscription::endpoint);
	}

}
