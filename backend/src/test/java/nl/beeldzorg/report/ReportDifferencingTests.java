package nl.beeldzorg.report;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differencing attacks on every programme report: cells with known true values are seeded
 * (two months of report cells, media cells and outcomes, with cells resting on one or two
 * consultants at every level: a kind, a discipline, a whole institution), every answer
 * the programme office can get for those months is asked (every grouping, month, quarter,
 * both months, a mid-month range, the capacity matrix), and each shown figure becomes an
 * equation over the seeded base cells. A suppressed figure can be computed from the
 * answers exactly when its cells' indicator lies in the span of the shown figures'
 * indicators (any sums and differences of answers); the test asserts that this holds for
 * none, and that the shown figures are the seeded truth. On the same data, suppressing
 * only the small cells (the old rule) leaks, which the test shows too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportDifferencingTests extends DemoApplicationTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_differencing");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

	@AfterAll
	static void drop() {
		TestPostgres.dropDatabase(database);
	}

	/** Report cells as seeded: base cell → consultant → consults. */
	final Map<BaseCell, Map<String, Integer>> seeded = new LinkedHashMap<>();

	/** Media cells as seeded: base cell → accepted. */
	final Map<BaseCell, Integer> media = new LinkedHashMap<>();

	/** Outcomes as seeded: (month, resolution, withoutVideo) → consultant → consults. */
	final Map<List<Object>, Map<String, Integer>> outcomes = new LinkedHashMap<>();

	static final List<String> PERIODS = List.of("from=2021-03-01&to=2021-03-31", "from=2021-04-01&to=2021-04-30",
			"from=2021-03-01&to=2021-04-30", "from=2021-01-01&to=2021-03-31", "from=2021-03-10&to=2021-04-20",
			"from=2021-04-01&to=2021-06-30");

	@BeforeAll
	void seed() throws Exception {
		client();
		// March: a small kind (zga SO ANW, one consultant), a small discipline (zga BA),
		// a small institution (klein), and one consult nobody accepted.
		cell(202103, "zga", "SO", "BEDSIDE", Map.of("c1", 5, "c2", 6, "c3", 4, "c4", 7));
		cell(202103, "zga", "SO", "ANW", Map.of("c1", 2));
		cell(202103, "zga", "SO", "IMOZ", Map.of("c2", 1, "c3", 2, "c5", 1));
		cell(202103, "zga", "BA", "BEDSIDE", Map.of("c6", 3));
		cell(202103, "atlant", "SO", "BEDSIDE", Map.of("c7", 2, "c8", 3, "c9", 2));
		cell(202103, "atlant", "VS", "BEDSIDE", Map.of("c10", 1, "c11", 1, "c12", 2));
		cell(202103, "klein", "GZP", "EXPERT", Map.of("c13", 4, "", 1));
		// April: a small discipline at atlant, two small kinds at zga that are safe
		// together.
		cell(202104, "zga", "SO", "BEDSIDE", Map.of("c1", 3, "c2", 2, "c3", 5, "", 2));
		cell(202104, "zga", "SO", "ANW", Map.of("c4", 1));
		cell(202104, "zga", "SO", "IMOZ", Map.of("c2", 1, "c5", 2));
		cell(202104, "atlant", "SO", "BEDSIDE", Map.of("c7", 4, "c8", 1));
		cell(202104, "atlant", "BA", "ANW", Map.of("c14", 2, "c15", 2, "c16", 1));
		cell(202104, "atlant", "VS", "BEDSIDE", Map.of("c10", 3, "c11", 2, "c12", 2));
		this.seeded
			.forEach((base, who) -> this.media.put(base, who.values().stream().mapToInt(Integer::intValue).sum()));
		// Outcomes: a resolution only one consultant recorded in March.
		outcome(202103, "RESOLVED", "VISIT", Map.of("c1", 3, "c2", 2, "c3", 1));
		outcome(202103, "REFERRED", "VISIT", Map.of("c7", 1, "c8", 2, "c9", 1));
		outcome(202103, "RESOLVED", "NOTHING", Map.of("c13", 2));
		outcome(202104, "RESOLVED", "VISIT", Map.of("c1", 2, "c2", 1, "c3", 1));
		outcome(202104, "REFERRED", "ADMISSION", Map.of("c7", 1, "c14", 1));
		outcome(202104, "RESOLVED", "NOTHING", Map.of("c10", 1, "c11", 2, "c12", 1));
		write();
	}

	private void cell(int month, String institution, String discipline, String kind, Map<String, Integer> who) {
		this.seeded.put(new BaseCell(institution, discipline, kind, month), who);
	}

	private void outcome(int month, String resolution, String withoutVideo, Map<String, Integer> who) {
		this.outcomes.put(List.of(month, resolution, withoutVideo), who);
	}

	private void write() throws Exception {
		try (Connection db = DriverManager.getConnection(database, TestPostgres.USER, "")) {
			try (PreparedStatement cells = db.prepareStatement("INSERT INTO report_cell (consult_day, institution_id,"
					+ " discipline, consult_kind, consultant_key, consults, video_seconds, travel, handover, lost,"
					+ " outcomes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)");
					PreparedStatement mediaCells = db.prepareStatement("INSERT INTO media_cell (consult_day,"
							+ " institution_id, discipline, consult_kind, accepted, connected) VALUES (?, ?, ?, ?, ?, ?)")) {
				for (Map.Entry<BaseCell, Map<String, Integer>> entry : this.seeded.entrySet()) {
					BaseCell base = entry.getKey();
					int day = 1;
					for (Map.Entry<String, Integer> who : entry.getValue().entrySet()) {
						// Spread over days: a cell of the report rests on several rows.
						cells.setObject(1, day(base.month(), day++));
						cells.setString(2, base.institution());
						cells.setString(3, base.discipline());
						cells.setString(4, base.kind());
						cells.setString(5, who.getKey());
						cells.setLong(6, who.getValue());
						cells.setLong(7, 600L * who.getValue());
						cells.setLong(8, 20L * who.getValue());
						cells.setLong(9, 15L * who.getValue());
						cells.addBatch();
					}
					mediaCells.setObject(1, day(base.month(), 3));
					mediaCells.setString(2, base.institution());
					mediaCells.setString(3, base.discipline());
					mediaCells.setString(4, base.kind());
					mediaCells.setLong(5, this.media.get(base));
					mediaCells.setLong(6, this.media.get(base));
					mediaCells.addBatch();
				}
				cells.executeBatch();
				mediaCells.executeBatch();
			}
			try (PreparedStatement consult = db.prepareStatement("INSERT INTO consult (id, kind, state, version,"
					+ " client_ref, urgency, requested_discipline, requested_by, requested_by_discipline, created_at,"
					+ " consult_day, consultant_id, institution_id) VALUES (?, 'BEDSIDE', 'ENDED', 1, 'T-1', 'NORMAL',"
					+ " 'SO', 'seed', 'NURSE', now(), ?, ?, 'zga')");
					PreparedStatement outcome = db.prepareStatement("INSERT INTO consult_outcome (consult_id, version,"
							+ " resolution, without_video, recorded_by, recorded_at) VALUES (?, 1, ?, ?, 'seed', now())")) {
				for (Map.Entry<List<Object>, Map<String, Integer>> entry : this.outcomes.entrySet()) {
					for (Map.Entry<String, Integer> who : entry.getValue().entrySet()) {
						for (int i = 0; i < who.getValue(); i++) {
							UUID id = UUID.randomUUID();
							consult.setObject(1, id);
							consult.setObject(2, day((Integer) entry.getKey().get(0), 5 + i));
							consult.setString(3, who.getKey());
							consult.executeUpdate();
							outcome.setObject(1, id);
							outcome.setString(2, (String) entry.getKey().get(1));
							outcome.setString(3, (String) entry.getKey().get(2));
							outcome.executeUpdate();
						}
					}
				}
			}
		}
	}

	private static LocalDate day(int month, int day) {
		return LocalDate.of(month / 100, month % 100, day);
	}

	/** Every grouping the API takes (the order of keys does not change the rows). */
	static List<String> groupings() {
		List<String> all = new ArrayList<>();
		List<String> keys = List.of("institution", "discipline", "kind");
		for (String time : List.of("", "month", "quarter")) {
			for (int mask = 0; mask < 8; mask++) {
				List<String> parts = new ArrayList<>();
				for (int k = 0; k < 3; k++) {
					if ((mask & (1 << k)) != 0) {
						parts.add(keys.get(k));
					}
				}
				if (!time.isEmpty()) {
					parts.add(time);
				}
				if (!parts.isEmpty()) {
					// No keys at all is the totals (an empty groupBy takes the default).
					all.add(String.join(",", parts));
				}
			}
		}
		return all;
	}

	@Test
	void noSuppressedTimeSavedOrCapacityFigureCanBeComputedFromAnyAnswers() {
		String pim = this.api.token("programme.pim");
		Answers<BaseCell> answers = new Answers<>(new ArrayList<>(this.seeded.keySet()));
		for (String period : PERIODS) {
			DateRange range = DateRange.of(period);
			for (String groupBy : groupings()) {
				JsonNode report = this.api.get("/api/v1/reports/time-saved?" + period + "&groupBy=" + groupBy, pim,
						HttpStatus.OK);
				List<GroupKey> keys = GroupKey.parse(groupBy);
				for (JsonNode row : report.get("rows")) {
					Set<BaseCell> cells = select(this.seeded.keySet(), range, (b) -> matches(b, keys, row));
					answers.add(cells, row.get("suppressed").asBoolean(), row.get("consults"), consults(cells),
							period + " " + groupBy + " " + row);
				}
				JsonNode totals = report.get("totals");
				Set<BaseCell> all = select(this.seeded.keySet(), range, (b) -> true);
				answers.add(all, totals.get("suppressed").asBoolean(), totals.get("consults"), consults(all),
						period + " totals");
			}
		}
		for (String period : List.of("2021-03", "2021-04", "2021-Q2", "2021-05", "2021")) {
			Period parsed = Period.parse(period);
			for (Period covered : List.of(parsed, parsed.previous())) {
				JsonNode matrix = this.api.get("/api/v1/reports/capacity-matrix?period=" + period, pim, HttpStatus.OK);
				DateRange range = new DateRange(covered.from(), covered.to());
				for (JsonNode row : matrix.get("rows")) {
					for (String discipline : CapacityMatrix.DISCIPLINES) {
						JsonNode cell = row.get("cells").get(discipline);
						Set<BaseCell> cells = select(this.seeded.keySet(), range,
								(b) -> b.institution().equals(row.get("institutionId").asString())
										&& b.discipline().equals(discipline));
						// FTE is minutes over one institution's hours: the same cells'
						// sum. A
						// hidden matrix cell is hidden in this or the previous period;
						// the
						// time-saved answers above hold what each period hides.
						if (!cell.get("suppressed").asBoolean()) {
							answers.add(cells, false, null, 0, "matrix " + period);
						}
					}
				}
			}
		}
		assertThat(answers.suppressed).as("the seeded small cells are suppressed somewhere").isNotEmpty();
		assertThat(answers.derivable()).as("suppressed figures computable from the answers").isEmpty();
		// The attack is real: had only the small cells been suppressed, they could be
		// computed.
		assertThat(answers.derivableIfOnlySmallWereSuppressed(this::consultantsOf)).isNotEmpty();
	}

	@Test
	void noSuppressedConnectionQualityFigureCanBeComputedFromAnyAnswers() {
		String pim = this.api.token("programme.pim");
		Answers<BaseCell> answers = new Answers<>(new ArrayList<>(this.media.keySet()));
		for (String period : PERIODS) {
			DateRange range = DateRange.of(period);
			for (String groupBy : groupings()) {
				JsonNode report = this.api.get("/api/v1/reports/connection-quality?" + period + "&groupBy=" + groupBy,
						pim, HttpStatus.OK);
				List<GroupKey> keys = GroupKey.parse(groupBy);
				for (JsonNode row : report.get("rows")) {
					Set<BaseCell> cells = select(this.media.keySet(), range, (b) -> matches(b, keys, row));
					long truth = cells.stream().mapToLong(this.media::get).sum();
					answers.add(cells, row.get("suppressed").asBoolean(), row.get("accepted"), truth,
							period + " " + groupBy + " " + row);
				}
			}
		}
		assertThat(answers.suppressed).isNotEmpty();
		assertThat(answers.derivable()).as("suppressed figures computable from the answers").isEmpty();
		assertThat(answers.derivableIfOnlySmallWereSuppressed(this::consultantsOf)).isNotEmpty();
	}

	@Test
	void noSuppressedOutcomeCanBeComputedFromAnyAnswersWithTheMonthlyTotals() {
		String pim = this.api.token("programme.pim");
		Answers<List<Object>> answers = new Answers<>(new ArrayList<>(this.outcomes.keySet()));
		for (String period : PERIODS) {
			DateRange range = DateRange.of(period);
			JsonNode report = this.api.get("/api/v1/reports/outcomes?" + period, pim, HttpStatus.OK);
			for (JsonNode row : report.get("rows")) {
				Set<List<Object>> cells = new HashSet<>();
				this.outcomes.keySet()
					.stream()
					.filter((k) -> range.covers((Integer) k.get(0)) && k.get(1).equals(row.get("resolution").asString())
							&& k.get(2).equals(row.get("withoutVideo").asString()))
					.forEach(cells::add);
				long truth = cells.stream()
					.mapToLong((k) -> this.outcomes.get(k).values().stream().mapToInt(Integer::intValue).sum())
					.sum();
				answers.add(cells, row.get("suppressed").asBoolean(), row.get("consults"), truth, period + " " + row);
			}
		}
		// The time-saved report tells how many consults of a month have an outcome: the
		// attacker knows each month's outcome total too.
		for (int month : List.of(202103, 202104)) {
			Set<List<Object>> cells = new HashSet<>();
			this.outcomes.keySet().stream().filter((k) -> k.get(0).equals(month)).forEach(cells::add);
			answers.add(cells, false, null, 0, "month total " + month);
		}
		assertThat(answers.suppressed).isNotEmpty();
		assertThat(answers.derivable()).as("suppressed outcomes computable from the answers").isEmpty();
		assertThat(answers.derivableIfOnlySmallWereSuppressed((k) -> this.outcomes.get(k).keySet())).isNotEmpty();
	}

	@Test
	void suppressedRowsSayWhyAndTheReportCoversWholeQuarters() {
		String pim = this.api.token("programme.pim");
		JsonNode report = this.api.get("/api/v1/reports/time-saved?from=2021-03-10&to=2021-03-20&groupBy=institution",
				pim, HttpStatus.OK);
		assertThat(report.get("from").asString()).isEqualTo("2021-01-01");
		assertThat(report.get("to").asString()).isEqualTo("2021-03-31");
		Map<String, String> because = new HashMap<>();
		report.get("rows")
			.forEach((row) -> because.put(row.get("institutionId").asString(),
					row.get("suppressedBecause").isNull() ? "shown" : row.get("suppressedBecause").asString()));
		// klein rests on one consultant; its partner is suppressed complementarily.
		assertThat(because).containsEntry("klein", "few-consultants").containsValue("complementary");
		assertThat(report.get("totals").get("suppressed").asBoolean()).isFalse();
		assertThat(report.get("totals").get("consults").asLong()).isEqualTo(
				consults(select(this.seeded.keySet(), DateRange.of("from=2021-01-01&to=2021-03-31"), (b) -> true)));
		// An institution still sees its own figures, unsuppressed.
		JsonNode own = this.api.get("/api/v1/reports/time-saved?from=2021-03-01&to=2021-03-31&groupBy=discipline,kind",
				this.api.token("admin.ada"), HttpStatus.OK);
		own.get("rows").forEach((row) -> assertThat(row.get("suppressed").asBoolean()).isFalse());
	}

	private Set<String> consultantsOf(BaseCell base) {
		Set<String> who = new HashSet<>(this.seeded.getOrDefault(base, Map.of()).keySet());
		who.remove("");
		return who;
	}

	private long consults(Set<BaseCell> cells) {
		return cells.stream()
			.mapToLong((b) -> this.seeded.get(b).values().stream().mapToInt(Integer::intValue).sum())
			.sum();
	}

	private static <T> Set<T> select(Set<T> universe, DateRange range, java.util.function.Predicate<BaseCell> row) {
		Set<T> out = new HashSet<>();
		for (T item : universe) {
			BaseCell base = (BaseCell) item;
			if (range.covers(base.month()) && row.test(base)) {
				out.add(item);
			}
		}
		return out;
	}

	private static boolean matches(BaseCell base, List<GroupKey> keys, JsonNode row) {
		for (GroupKey key : keys) {
			if (!Objects.equals(String.valueOf(base.value(key)), row.get(key.field).asString())) {
				return false;
			}
		}
		return true;
	}

	/** The months a period touches (the programme's reports cover whole months). */
	record DateRange(LocalDate from, LocalDate to) {

		static DateRange of(String query) {
			String[] parts = query.split("&");
			return new DateRange(LocalDate.parse(parts[0].substring(5)), LocalDate.parse(parts[1].substring(3)));
		}

		boolean covers(int month) {
			return month >= BaseCell.monthOf(this.from) && month <= BaseCell.monthOf(this.to);
		}

	}

	/**
	 * What the attacker holds: the shown figures as equations over the base cells, and
	 * the suppressed ones to recover.
	 */
	static final class Answers<T> {

		final List<T> universe;

		final List<Set<T>> shown = new ArrayList<>();

		final Map<Set<T>, String> suppressed = new LinkedHashMap<>();

		final List<Set<T>> all = new ArrayList<>();

		Answers(List<T> universe) {
			this.universe = universe;
		}

		void add(Set<T> cells, boolean hidden, JsonNode value, long truth, String what) {
			if (cells.isEmpty()) {
				return;
			}
			this.all.add(cells);
			if (hidden) {
				this.suppressed.putIfAbsent(cells, what);
				assertThat(value == null || value.isNull()).as("a suppressed figure shows nothing: " + what).isTrue();
			}
			else {
				this.shown.add(cells);
				if (value != null) {
					assertThat(value.asLong()).as("a shown figure is the seeded truth: " + what).isEqualTo(truth);
				}
			}
		}

		/** The suppressed figures that some sums and differences of shown ones give. */
		List<String> derivable() {
			return derivable(this.shown, this.suppressed);
		}

		/**
		 * The same attack had only the figures resting on too few consultants been
		 * suppressed (no complementary suppression).
		 */
		List<String> derivableIfOnlySmallWereSuppressed(Function<T, Set<String>> consultants) {
			List<Set<T>> shown = new ArrayList<>();
			Map<Set<T>, String> small = new LinkedHashMap<>();
			for (Set<T> cells : this.all) {
				Set<String> who = new HashSet<>();
				cells.forEach((c) -> who.addAll(consultants.apply(c)));
				if (who.size() < ReportScope.MIN_CONSULTANTS) {
					small.put(cells, "small");
				}
				else {
					shown.add(cells);
				}
			}
			return derivable(shown, small);
		}

		private List<String> derivable(List<Set<T>> shown, Map<Set<T>, String> hidden) {
			Span span = new Span(this.universe.size());
			for (Set<T> cells : shown) {
				span.add(vector(cells));
			}
			List<String> found = new ArrayList<>();
			hidden.forEach((cells, what) -> {
				if (span.contains(vector(cells))) {
					found.add(what);
				}
			});
			return found;
		}

		private long[] vector(Set<T> cells) {
			long[] v = new long[this.universe.size()];
			for (int i = 0; i < v.length; i++) {
				v[i] = cells.contains(this.universe.get(i)) ? 1 : 0;
			}
			return v;
		}

	}

	/**
	 * A linear span over the integers modulo a large prime, kept in row echelon form: is
	 * a vector a combination of those added?
	 */
	static final class Span {

		static final long P = 1_000_000_007L;

		final List<long[]> rows = new ArrayList<>();

		final List<Integer> pivots = new ArrayList<>();

		final int size;

		Span(int size) {
			this.size = size;
		}

		void add(long[] vector) {
			long[] v = reduce(vector);
			for (int i = 0; i < this.size; i++) {
				if (v[i] != 0) {
					long inverse = pow(v[i], P - 2);
					for (int j = 0; j < this.size; j++) {
						v[j] = v[j] * inverse % P;
					}
					this.rows.add(v);
					this.pivots.add(i);
					return;
				}
			}
		}

		boolean contains(long[] vector) {
			long[] v = reduce(vector);
			for (long x : v) {
				if (x != 0) {
					return false;
				}
			}
			return true;
		}

		private long[] reduce(long[] vector) {
			long[] v = vector.clone();
			for (int r = 0; r < this.rows.size(); r++) {
				int pivot = this.pivots.get(r);
				long factor = v[pivot];
				if (factor != 0) {
					long[] row = this.rows.get(r);
					for (int j = 0; j < this.size; j++) {
						v[j] = Math.floorMod(v[j] - factor * row[j] % P, P);
					}
				}
			}
			return v;
		}

		private static long pow(long base, long exponent) {
			long result = 1;
			long b = base % P;
			long e = exponent;
			while (e > 0) {
				if ((e & 1) == 1) {
					result = result * b % P;
				}
				b = b * b % P;
				e >>= 1;
			}
			return result;
		}

	}

}
