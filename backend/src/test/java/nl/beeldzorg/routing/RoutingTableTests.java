package nl.beeldzorg.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who rings, as a table: rosters, times, subregions, disciplines, presence and expertise,
 * with the application's clock under the test's control. Each row sets the scene and
 * names the stages it expects (demo usernames).
 */
@Import(MutableClock.Configuration.class)
class RoutingTableTests extends DemoApplicationTests {

	private static final Instant NIGHT = Instant.parse("2026-11-25T02:00:00Z");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-routing");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Autowired
	private Router router;

	@Autowired
	private Presence presence;

	@Autowired
	private Availability availability;

	@Autowired
	private OnCallRoster roster;

	@Autowired
	private Expertise expertise;

	@Autowired
	private Directory directory;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private MutableClock clock;

	static Stream<Arguments> cases() {
		return Stream.of(
				row("pool: only consultants with an open app ring", (t) -> t.open("so.sophie"),
						(t) -> t.pool("zga", Discipline.SO, false), "[[so.sophie]]"),
				row("pool: a push subscription makes a locked phone reachable",
						(t) -> t.open("so.sophie").pushable("so.lotte"), (t) -> t.pool("zga", Discipline.SO, false),
						"[[so.lotte, so.sophie]]"),
				row("pool: not available means not rung, even with the app open",
						(t) -> t.open("so.sophie").open("so.lotte").unavailable("so.lotte"),
						(t) -> t.pool("zga", Discipline.SO, false), "[[so.sophie]]"),
				row("pool: nobody present is an empty plan", (t) -> t, (t) -> t.pool("zga", Discipline.SO, false),
						"[]"),
				row("pool: the other institution's SO never rings", (t) -> t.open("so.daan"),
						(t) -> t.pool("zga", Discipline.SO, false), "[]"),
				row("pool: discipline asked is the discipline rung", (t) -> t.open("so.sophie").open("ba.bas"),
						(t) -> t.pool("zga", Discipline.BA, false), "[[ba.bas]]"),
				row("stepped care: VS or PA first, then the SO", (t) -> t.open("so.sophie").open("vs.vera"),
						(t) -> t.pool("zga", Discipline.SO, true), "[[vs.vera], [so.sophie]]"),
				row("stepped care without a VS/PA present goes straight to the SO", (t) -> t.open("so.sophie"),
						(t) -> t.pool("zga", Discipline.SO, true), "[[so.sophie]]"),
				row("ANW at night: primary, then backup, present or not",
						(t) -> t.shift("apeldoorn-noord", "so.sophie", OnCallRoster.Role.PRIMARY, 18, 8)
							.shift("apeldoorn-noord", "so.lotte", OnCallRoster.Role.BACKUP, 18, 8),
						(t) -> t.onCall("apeldoorn-noord", Discipline.SO, NIGHT), "[[so.sophie], [so.lotte]]"),
				row("ANW by day: the night shift is over",
						(t) -> t.shift("apeldoorn-noord", "so.sophie", OnCallRoster.Role.PRIMARY, 18, 8),
						(t) -> t.onCall("apeldoorn-noord", Discipline.SO, NIGHT.plus(Duration.ofHours(8))), "[]"),
				row("ANW: another subregion's roster does not ring",
						(t) -> t.shift("apeldoorn-zuid", "so.daan", OnCallRoster.Role.PRIMARY, 18, 8),
						(t) -> t.onCall("apeldoorn-noord", Discipline.SO, NIGHT), "[]"),
				row("ANW: the roster of the discipline asked",
						(t) -> t.shift("apeldoorn-noord", "so.sophie", OnCallRoster.Role.PRIMARY, 18, 8)
							.shift("apeldoorn-noord", "ba.bas", OnCallRoster.Role.PRIMARY, 18, 8),
						(t) -> t.onCall("apeldoorn-noord", Discipline.BA, NIGHT), "[[ba.bas]]"),
				row("expert: present carriers of the tag across institutions",
						(t) -> t.tag("so.daan", "wounds").tag("so.lotte", "wounds").open("so.daan").open("so.lotte"),
						(t) -> t.experts("wounds"), "[[so.daan, so.lotte]]"),
				row("expert: carriers who are away do not ring",
						(t) -> t.tag("so.daan", "wounds").tag("gzp.gerda", "psychiatry").open("gzp.gerda"),
						(t) -> t.experts("wounds"), "[]"),
				row("expert: the asker is not rung",
						(t) -> t.tag("so.sophie", "wounds").tag("so.daan", "wounds").open("so.sophie").open("so.daan"),
						(t) -> t.router.experts("wounds", t.id("so.sophie")), "[[so.daan]]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void routes(String name, Function<RoutingTableTests, RoutingTableTests> scene,
			Function<RoutingTableTests, Mono<Router.RingPlan>> route, String expected) {
		this.clock.set(NIGHT);
		scene.apply(this);
		Router.RingPlan plan = route.apply(this).block(Duration.ofSeconds(10));
		List<List<String>> stages = plan.stages()
			.stream()
			.map((stage) -> stage.stream().map((c) -> username(c.userId())).sorted().toList())
			.toList();
		assertThat(stages).hasToString(expected);
	}

	// Before (the demo roster seeded at start) and after every row.
	@org.junit.jupiter.api.BeforeEach
	@AfterEach
	void reset() {
		for (String user : List.of("so.sophie", "so.lotte", "so.daan", "ba.bas", "vs.vera", "gzp.gerda")) {
			while (this.presence.hasOpenApp(id(user))) {
				this.presence.closed(id(user));
			}
		}
		Mono.when(this.db.sql("DELETE FROM on_call_shift").then(),
				this.db.sql("DELETE FROM consultant_expertise").then(),
				this.db.sql("DELETE FROM consultant_availability").then(),
				this.db.sql("DELETE FROM push_subscription").then())
			.block(Duration.ofSeconds(10));
	}

	private static Arguments row(String name, Function<RoutingTableTests, RoutingTableTests> scene,
			Function<RoutingTableTests, Mono<Router.RingPlan>> route, String expected) {
		return Arguments.of(name, scene, route, expected);
	}

	RoutingTableTests open(String username) {
		this.presence.opened(id(username));
		return this;
	}

	RoutingTableTests pushable(String username) {
		this.db
			.sql("INSERT INTO push_subscription (endpoint, user_id, p256dh, auth, created_at)"
					+ " VALUES (:e, :u, 'k', 'a', :t)")
			.bind("e", "https://push.test/" + username)
			.bind("u", id(username))
			.bind("t", NIGHT)
			.then()
			.block(Duration.ofSeconds(10));
		return this;
	}

	RoutingTableTests unavailable(String username) {
		this.availability.set(id(username), false, NIGHT).block(Duration.ofSeconds(10));
		return this;
	}

	RoutingTableTests tag(String username, String tag) {
		this.expertise.set(id(username), List.of(tag)).block(Duration.ofSeconds(10));
		return this;
	}

	// A shift from fromHour the evening before NIGHT until toHour that morning (UTC).
	RoutingTableTests shift(String subregion, String username, OnCallRoster.Role role, int fromHour, int toHour) {
		Instant start = NIGHT.minus(Duration.ofHours(2 + (24 - fromHour)));
		Instant end = NIGHT.minus(Duration.ofHours(2)).plus(Duration.ofHours(toHour));
		Directory.Practitioner consultant = this.directory.practitioner(id(username)).block(Duration.ofSeconds(10));
		this.roster
			.add(new OnCallRoster.Shift(UUID.randomUUID(), subregion, consultant.discipline(), id(username), role,
					start, end, consultant.institutionId(), "admin", NIGHT))
			.block(Duration.ofSeconds(10));
		return this;
	}

	Mono<Router.RingPlan> pool(String institution, Discipline discipline, boolean steppedCare) {
		return this.router.pool(institution, discipline, steppedCare, id("nurse.anna"));
	}

	Mono<Router.RingPlan> onCall(String subregion, Discipline discipline, Instant at) {
		return this.router.onCall(subregion, discipline, at, id("nurse.anna"));
	}

	Mono<Router.RingPlan> experts(String tag) {
		return this.router.experts(tag, id("nurse.anna"));
	}

	String id(String username) {
		return nl.beeldzorg.directory.DemoDirectory.user(username).orElseThrow().userId();
	}

	private static String username(String userId) {
		return nl.beeldzorg.directory.DemoDirectory.USERS.stream()
			.filter((u) -> u.userId().equals(userId))
			.findFirst()
			.orElseThrow()
			.username();
	}

}
