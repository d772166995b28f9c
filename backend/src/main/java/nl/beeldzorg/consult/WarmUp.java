package nl.beeldzorg.consult;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.directory.DemoDirectory;
import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.operations.OperationsMetrics;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.DemoIssuer;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Warms a node up before it reports ready: a node that just joined the pool must ring
 * within 50 ms from its first request, not after its first second of interpreted code,
 * lazily loaded classes and new database connections. Runs after the server listens and
 * before readiness turns UP (Spring Boot marks readiness after the application runners),
 * so the load balancer sends nothing meanwhile. Each round goes through the consult start
 * and ring path in a transaction that is always rolled back (the retry lookup, the
 * requester made known, the location and the ring plan, then insert, audit chain, plan,
 * ring, the view and its JSON, the ring event and the Web Push lookup, both for a made-up
 * consultant whose id no user has), and through the server over loopback: the security
 * chain and problem details, JSON, and the signalling WebSocket ({@code ping}, a refused
 * {@code join}). It leaves no record: nothing is committed, nobody rings, and its
 * requests' meters are removed afterwards (only numbers of the audit sequence are used
 * up: {@code seq} increases, with gaps). Rounds stop at {@code beeldzorg.warm-up.rounds}
 * or {@code beeldzorg.warm-up.max-duration}, whichever comes first; a failing round is
 * logged and ends the warm-up, never the start.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class WarmUp implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(WarmUp.class);

	/** The made-up requester of warm-up consults; never stored. */
	private static final CurrentUser NURSE = new CurrentUser("warm-up-nurse", "Warm-up", Discipline.NURSE, "warm-up",
			null, Set.of());

	/** The made-up consultant whom warm-up consults ring; no user has this id. */
	private static final String WARM_UP_SO = "warm-up-so";

	private final ConsultRepository consults;

	private final Directory directory;

	private final ConsultRouting routing;

	private final ConsultEvents events;

	private final RingNotifier notifier;

	private final AuditTrail audit;

	private final ConsultViews views;

	private final ReactiveTransactionManager transactions;

	private final DatabaseScheduler scheduler;

	private final JsonMapper json;

	private final Clock clock;

	private final Environment environment;

	private final int rounds;

	private final Duration maxDuration;

	/** How often the compiler's work is sampled after the rounds. */
	private static final Duration JIT_SAMPLE = Duration.ofMillis(250);

	/** The longest wait for the compiler after the rounds (within max-duration). */
	private final Duration jitQuietAtMost;

	/**
	 * Rounds run this many at once: real traffic arrives in parallel and takes several
	 * pooled connections, each a database session whose first statements are slow (its
	 * catalogue caches and plans are new), and several event-loop and worker threads.
	 */
	private final int parallelism;

	private final ApplicationAvailability availability;

	private final ObjectProvider<DemoIssuer> demoIssuer;

	private final ObjectProvider<MeterRegistry> meters;

	private final ObjectProvider<OperationsMetrics> operations;

	private volatile int done;

	private volatile ReadinessState readinessWhileWarming = ReadinessState.ACCEPTING_TRAFFIC;

	WarmUp(ConsultRepository consults, Directory directory, ConsultRouting routing, ConsultEvents events,
			RingNotifier notifier, AuditTrail audit, ConsultViews views, ReactiveTransactionManager transactions,
			DatabaseScheduler scheduler, JsonMapper json, Clock clock, Environment environment,
			ApplicationAvailability availability, ObjectProvider<DemoIssuer> demoIssuer,
			ObjectProvider<MeterRegistry> meters, ObjectProvider<OperationsMetrics> operations,
			@Value("${beeldzorg.warm-up.rounds:1500}") int rounds,
			@Value("${beeldzorg.warm-up.max-duration:60s}") Duration maxDuration,
			@Value("${beeldzorg.warm-up.parallelism:2}") int parallelism,
			@Value("${beeldzorg.warm-up.jit-quiet-at-most:10s}") Duration jitQuietAtMost) {
		this.consults = consults;
		this.directory = directory;
		this.routing = routing;
		this.events = events;
		this.notifier = notifier;
		this.audit = audit;
		this.views = views;
		this.transactions = transactions;
		this.scheduler = scheduler;
		this.json = json;
		this.clock = clock;
		this.environment = environment;
		this.rounds = rounds;
		this.maxDuration = maxDuration;
		this.parallelism = Math.max(1, parallelism);
		this.jitQuietAtMost = jitQuietAtMost;
		this.availability = availability;
		this.demoIssuer = demoIssuer;
		this.meters = meters;
		this.operations = operations;
	}

	/**
	 * @return how many rounds the warm-up went through
	 */
	int rounds() {
		return this.done;
	}

	/**
	 * @return what readiness said while the warm-up ran
	 */
	ReadinessState readinessWhileWarming() {
		return this.readinessWhileWarming;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.rounds <= 0) {
			return;
		}
		this.readinessWhileWarming = this.availability.getReadinessState();
		long start = System.nanoTime();
		long deadline = start + this.maxDuration.toNanos();
		String port = this.environment.getProperty("local.server.port");
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		AtomicInteger claimed = new AtomicInteger();
		AtomicInteger finished = new AtomicInteger();
		ExecutorService workers = Executors.newFixedThreadPool(this.parallelism, (task) -> {
			Thread thread = new Thread(task, "warm-up");
			thread.setDaemon(true);
			return thread;
		});
		try {
			String token = token();
			// The first round alone: it makes the made-up requester known, a row
			// that two rounds at once would both insert (H2 refuses the second).
			if (claimed.getAndIncrement() < this.rounds) {
				round(http, port, token);
				this.done = finished.incrementAndGet();
			}
			List<Future<?>> running = new ArrayList<>();
			for (int w = 0; w < this.parallelism; w++) {
				running.add(workers.submit(() -> {
					while (System.nanoTime() < deadline && claimed.getAndIncrement() < this.rounds) {
						round(http, port, token);
						this.done = finished.incrementAndGet();
					}
					return null;
				}));
			}
			for (Future<?> worker : running) {
				worker.get();
			}
			long rounds = System.nanoTime() - start;
			// The first audit chain check (every record read) ends before the first
			// request, not beside it.
			long verifying = System.nanoTime();
			OperationsMetrics operations = this.operations.getIfAvailable();
			boolean verified = operations == null || operations
				.awaitFirstAuditVerification(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			verifying = System.nanoTime() - verifying;
			if (!verified) {
				logger.info("Warm-up: the first audit chain check goes on after readiness");
			}
			long compiling = awaitCompilerQuiet(Math.min(deadline, System.nanoTime() + this.jitQuietAtMost.toNanos()));
			logger.info(
					"Warm-up: {} rounds, {} at once, in {} ms; {} ms waiting for the audit chain check; then {} ms until the JIT compiler was quiet",
					this.done, this.parallelism, rounds / 1_000_000, verifying / 1_000_000, compiling / 1_000_000);
		}
		catch (ExecutionException ex) {
			logger.warn("Warm-up stopped after {} rounds: {}", this.done, ex.getCause().toString());
		}
		catch (RuntimeException ex) {
			logger.warn("Warm-up stopped after {} rounds: {}", this.done, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			workers.shutdownNow();
			forgetRequests();
		}
	}

	private void round(HttpClient http, @Nullable String port, String token) throws InterruptedException {
		database();
		if (port != null) {
			loopback(http, "http://127.0.0.1:" + port, token);
		}
	}

	/**
	 * Waits until the JIT compiler spent less than a tenth of the last quarter second
	 * compiling: the rounds queue many methods for compilation, and a node whose compiler
	 * still works through that queue when traffic arrives serves its first requests with
	 * less CPU, and partly in the interpreter.
	 * @param until the latest moment to wait for ({@code nanoTime})
	 * @return how long it waited, ns
	 */
	private static long awaitCompilerQuiet(long until) throws InterruptedException {
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		long began = System.nanoTime();
		if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
			return 0;
		}
		long last = compiler.getTotalCompilationTime();
		while (System.nanoTime() < until) {
			Thread.sleep(JIT_SAMPLE.toMillis());
			long now = compiler.getTotalCompilationTime();
			if (now - last < JIT_SAMPLE.toMillis() / 10) {
				break;
			}
			last = now;
		}
		return System.nanoTime() - began;
	}

	/**
	 * The warm-up's own requests are no traffic: their response-time meters go, so the
	 * node's figures start with its first real request.
	 */
	private void forgetRequests() {
		this.meters.ifAvailable((registry) -> registry.find("http.server.requests").meters().forEach(registry::remove));
	}

	/** The start and ring path's database work, events and JSON, rolled back. */
	private void database() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Consult consult = new Consult(UUID.randomUUID(), ConsultKind.BEDSIDE, ConsultState.RINGING, 0, "warm-up",
				"warm-up", "WARM-UP", null, Urgency.ROUTINE, Discipline.SO, NURSE.userId(), Discipline.NURSE, null,
				null, null, null, now, null, null, null, 0, now.plusSeconds(60), null, null);
		// What a start does before it writes: the retry lookup, the requester made known,
		// the location and the ring plan (a made-up consultant, and the institution's
		// pool: both find nobody, and their refusals are the expected outcome here).
		Mono<Void> before = this.consults.findByIdempotencyKey(NURSE.userId(), "warm-up")
			.then(this.directory.remember(NURSE))
			.then(this.directory.location("warm-up"))
			.then(planned(new StartConsultRequest(ConsultKind.BEDSIDE, "warm-up", "WARM-UP", null, Urgency.ROUTINE,
					null, WARM_UP_SO, null, null, null)))
			.then(planned(new StartConsultRequest(ConsultKind.BEDSIDE, "warm-up", "WARM-UP", null, Urgency.ROUTINE,
					null, null, null, null, null)));
		Mono<String> work = before.then(this.consults.insert(consult))
			.then(this.audit.append(new AuditTrail.Entry(NURSE.userId(), null, consult.institutionId(), consult.id(),
					AuditAction.CREATED, "warm-up")))
			.then(this.consults.insertPlan(consult.id(), 0, WARM_UP_SO, Discipline.SO))
			.then(this.consults.insertRing(consult.id(), WARM_UP_SO, Discipline.SO, now))
			.then(this.consults.lock(consult.id()))
			.flatMap((locked) -> this.consults.rings(locked.id()).then(this.views.view(locked, NURSE)))
			.map(this::ring);
		TransactionalOperator rollback = TransactionalOperator.create(this.transactions);
		this.scheduler.run(rollback.execute((status) -> {
			status.setRollbackOnly();
			return work;
		}).then()).block(Duration.ofSeconds(30));
	}

	private Mono<Void> planned(StartConsultRequest request) {
		return this.routing.plan(NURSE, request, Discipline.SO, null, this.clock.instant())
			.onErrorResume(ApiException.class, (nobody) -> Mono.empty())
			.then();
	}

	/**
	 * The ring as a start sends it, to the made-up consultant only: no stream is hers (no
	 * user has her id), and the Web Push lookup finds no subscription of hers.
	 */
	private String ring(ConsultView view) {
		this.events.publish(ConsultEvents.RINGING, view, List.of(WARM_UP_SO));
		this.notifier.ring(view, List.of(WARM_UP_SO));
		return this.json.writeValueAsString(view);
	}

	/**
	 * Requests that change nothing, through the server: the health and client
	 * configuration, the refusal of a start without a valid token (security chain,
	 * problem details), and the signalling socket.
	 */
	private void loopback(HttpClient http, String base, String token) throws InterruptedException {
		send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/client-config")).build());
		// A start the server refuses before it touches anything: signed by the demo
		// issuer
		// (for a made-up user) the token passes and the body fails validation (400); else
		// the token's key is unknown (401), after the decoder fetched the issuer's keys.
		send(http,
				HttpRequest.newBuilder(URI.create(base + "/api/v1/consults"))
					.header("Content-Type", "application/json")
					.header("Authorization", "Bearer " + token)
					.POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"BEDSIDE\",\"locationId\":\"warm-up\","
							+ "\"clientRef\":\"warm up!\",\"urgency\":\"ROUTINE\",\"question\":\"warm-up\"}"))
					.build());
		CompletableFuture<Void> answered = new CompletableFuture<>();
		StringBuilder text = new StringBuilder();
		int[] frames = { 0 };
		try {
			WebSocket socket = http.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(2))
				.buildAsync(URI.create(base.replace("http", "ws") + "/ws/signalling"), new WebSocket.Listener() {
					@Override
					public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
						text.append(data);
						if (last) {
							text.setLength(0);
							if (++frames[0] == 2) {
								answered.complete(null);
							}
						}
						webSocket.request(1);
						return null;
					}

					@Override
					public void onError(WebSocket webSocket, Throwable error) {
						answered.completeExceptionally(error);
					}
				})
				.get(5, TimeUnit.SECONDS);
			socket.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
			socket.sendText("{\"type\":\"join\",\"token\":\"warm-up\"}", true).get(5, TimeUnit.SECONDS);
			answered.get(5, TimeUnit.SECONDS);
			socket.abort();
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("the signalling socket did not answer", ex);
		}
	}

	/**
	 * A token for the refused start: from the demo issuer for a made-up nurse, or signed
	 * with a key of our own that no issuer knows.
	 */
	private String token() {
		DemoIssuer demo = this.demoIssuer.getIfAvailable();
		if (demo != null) {
			return demo.issue(new DemoDirectory.DemoUser(NURSE.userId(), "warm-up", NURSE.name(), Discipline.NURSE,
					"warm-up", null, List.of()));
		}
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("warm-up").generate();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("warm-up").build(),
					new JWTClaimsSet.Builder().subject(NURSE.userId())
						.expirationTime(java.util.Date.from(this.clock.instant().plusSeconds(60)))
						.build());
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			return "warm.up.token";
		}
	}

	private static void send(HttpClient http, HttpRequest request) throws InterruptedException {
		try {
			http.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("loopback request failed", ex);
		}
	}

}
