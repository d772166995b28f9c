package nl.beeldzorg.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import nl.beeldzorg.signalling.MediaBroker;
import nl.beeldzorg.signalling.PeerToPeerBroker;
import nl.beeldzorg.signalling.RecordingUnavailableException;
import nl.beeldzorg.signalling.RelayBus;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A media broker for tests that records as a media server would, without one: media goes
 * peer to peer, and {@code startRecording} writes a small WEBM file at the URI it is
 * given, noting what the database held about the recording's consent at that moment (so a
 * test proves that the consent was committed before the broker was asked).
 */
public final class RecordingTestBroker implements MediaBroker {

	/** The EBML magic that begins every WEBM file, and a little more. */
	static final byte[] HEADER = { 0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0x42, (byte) 0x86, (byte) 0x81, 0x01 };

	/** What {@code stopRecording} appends, as the recorder's last cluster. */
	static final byte[] TAIL = { 0x1F, 0x43, (byte) 0xB6, 0x75, 0x00, 0x00, 0x00, 0x00 };

	private final PeerToPeerBroker peerToPeer = new PeerToPeerBroker();

	private final ObjectProvider<DatabaseClient> db;

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final AtomicBoolean failNext = new AtomicBoolean();

	RecordingTestBroker(ObjectProvider<DatabaseClient> db) {
		this.db = db;
	}

	/** The next {@code startRecording} fails as a broker without a media server does. */
	public void failNextStart() {
		this.failNext.set(true);
	}

	/**
	 * @return what the broker was asked, in order:
	 * {@code start <recording> <uri> consent=<givenBy or none>} and
	 * {@code stop <recording>}
	 */
	public List<String> calls() {
		return List.copyOf(this.calls);
	}

	public void clear() {
		this.calls.clear();
	}

	@Override
	public Mono<Void> negotiate(String roomId, SignalMessage.Negotiation message, RelayBus relay) {
		return this.peerToPeer.negotiate(roomId, message, relay);
	}

	@Override
	public Mono<Void> startRecording(String roomId, String recordingId, String uri) {
		return this.db.getObject()
			.sql("SELECT consent_given_by FROM recording WHERE id = :id AND consult_id = :c")
			.bind("id", UUID.fromString(recordingId))
			.bind("c", UUID.fromString(roomId))
			.map((row) -> row.get("consent_given_by", String.class))
			.one()
			.defaultIfEmpty("none")
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((consent) -> {
				this.calls.add("start " + recordingId + " " + uri + " consent=" + consent);
				if (this.failNext.getAndSet(false)) {
					return Mono.error(new RecordingUnavailableException("test: no media server"));
				}
				return Mono.fromRunnable(() -> write(uri, HEADER, StandardOpenOption.CREATE_NEW))
					.subscribeOn(Schedulers.boundedElastic())
					.then();
			});
	}

	@Override
	public Mono<Void> stopRecording(String roomId, String recordingId) {
		this.calls.add("stop " + recordingId);
		return Mono.fromRunnable(() -> {
			Path file = fileOf(roomId, recordingId);
			if (file != null) {
				write(file.toUri().toString(), TAIL, StandardOpenOption.APPEND);
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

	private Path fileOf(String roomId, String recordingId) {
		for (String call : this.calls) {
			if (call.startsWith("start " + recordingId + " ")) {
				return Paths.get(URI.create(call.split(" ")[2]));
			}
		}
		return null;
	}

	private static void write(String uri, byte[] bytes, StandardOpenOption option) {
		try {
			Files.write(Paths.get(URI.create(uri)), bytes, option, StandardOpenOption.WRITE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Puts the broker into a test's application (recording and signalling both use it).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		/** In place of the configured broker (peer to peer in the tests). */
		@Bean
		@org.springframework.context.annotation.Primary
		RecordingTestBroker recordingTestBroker(ObjectProvider<DatabaseClient> db) {
			return new RecordingTestBroker(db);
		}

	}

}
