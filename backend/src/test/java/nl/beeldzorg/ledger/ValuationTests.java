package nl.beeldzorg.ledger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import nl.beeldzorg.consult.ConsultKind;
import nl.beeldzorg.consult.ConsultState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The valuation rules as a table: every resolution × what would have happened without
 * video × travel known, estimated or missing, with the handover given or from the norm.
 */
class ValuationTests {

	private static final ValuationRule RULE = ValuationRule.defaults("zga");

	private static final Valuation.Facts BEDSIDE = new Valuation.Facts(ConsultKind.BEDSIDE, ConsultState.ENDED,
			Instant.parse("2026-11-22T02:00:00Z"));

	@ParameterizedTest(name = "{0} / {1} / travel {2} / handover {3} -> travel {4}, handover {5}")
	@CsvSource(textBlock = """
			# resolution,       withoutVideo,       travel,    handover, travelSaved, handoverSaved
			RESOLVED_REMOTELY,  PHYSICAL_VISIT,     MATRIX,    ,         24,          15
			RESOLVED_REMOTELY,  PHYSICAL_VISIT,     MATRIX,    10,       24,          10
			RESOLVED_REMOTELY,  PHYSICAL_VISIT,     ESTIMATED, ,         40,          15
			RESOLVED_REMOTELY,  PHYSICAL_VISIT,     MISSING,   ,         0,           15
			RESOLVED_REMOTELY,  PHONE_CALL,         MATRIX,    ,         0,           15
			RESOLVED_REMOTELY,  NEXT_REGULAR_VISIT, MATRIX,    ,         0,           15
			RESOLVED_REMOTELY,  NOTHING,            MATRIX,    30,       0,           0
			VISIT_STILL_NEEDED, PHYSICAL_VISIT,     MATRIX,    ,         0,           15
			VISIT_STILL_NEEDED, PHYSICAL_VISIT,     ESTIMATED, 5,        0,           5
			VISIT_STILL_NEEDED, PHONE_CALL,         MATRIX,    ,         0,           15
			VISIT_STILL_NEEDED, NEXT_REGULAR_VISIT, MISSING,   ,         0,           15
			VISIT_STILL_NEEDED, NOTHING,            MATRIX,    ,         0,           0
			REFERRED,           PHYSICAL_VISIT,     MATRIX,    ,         24,          15
			REFERRED,           PHYSICAL_VISIT,     MISSING,   ,         0,           15
			REFERRED,           PHONE_CALL,         ESTIMATED, ,         0,           15
			REFERRED,           NEXT_REGULAR_VISIT, MATRIX,    0,        0,           0
			REFERRED,           NOTHING,            ESTIMATED, ,         0,           0
			RESOLVED_REMOTELY,  PHYSICAL_VISIT,     MATRIX,    90,       24,          60
			""")
	void savingsFollowTheRules(Resolution resolution, WithoutVideo withoutVideo, String travel, Integer handover,
			int travelSaved, int handoverSaved) {
		List<Valuation.Valued> entries = Valuation.saved(BEDSIDE,
				new Valuation.Outcome(resolution, withoutVideo, handover), RULE, travel(travel));
		assertThat(minutes(entries, EntryKind.TRAVEL)).isEqualTo(travelSaved);
		assertThat(minutes(entries, EntryKind.HANDOVER)).isEqualTo(handoverSaved);
		assertThat(entries).allSatisfy((entry) -> {
			assertThat(entry.minutes()).isPositive();
			assertThat(entry.basis()).contains("rule v0").contains(resolution.name());
		});
		entries.stream().filter((entry) -> entry.kind() == EntryKind.TRAVEL).forEach((entry) -> {
			assertThat(entry.estimated()).isEqualTo(travel.equals("ESTIMATED"));
			assertThat(entry.travelTimeId() != null).isEqualTo(travel.equals("MATRIX"));
		});
	}

	@ParameterizedTest(name = "{0} handover norm {1}")
	@CsvSource({ "BEDSIDE, 15", "ANW, 20", "IMOZ, 15", "EXPERT, 10" })
	void handoverNormDependsOnTheConsultKind(ConsultKind kind, int norm) {
		List<Valuation.Valued> entries = Valuation.saved(
				new Valuation.Facts(kind, ConsultState.ENDED, BEDSIDE.createdAt()),
				new Valuation.Outcome(Resolution.RESOLVED_REMOTELY, WithoutVideo.PHONE_CALL, null), RULE, null);
		assertThat(minutes(entries, EntryKind.HANDOVER)).isEqualTo(norm);
	}

	@Test
	void failedConsultLosesTheStartedMinutesWaitedAndSavesNothing() {
		Valuation.Facts missed = new Valuation.Facts(ConsultKind.ANW, ConsultState.MISSED, BEDSIDE.createdAt());
		List<Valuation.Valued> lost = Valuation.lost(missed, RULE, BEDSIDE.createdAt().plusSeconds(61));
		assertThat(lost).singleElement().satisfies((entry) -> {
			assertThat(entry.kind()).isEqualTo(EntryKind.LOST);
			assertThat(entry.minutes()).isEqualTo(2);
			assertThat(entry.basis()).contains("MISSED");
		});
		assertThat(Valuation.lost(missed, RULE, BEDSIDE.createdAt())).isEmpty();
	}

	private static Valuation.Travel travel(String kind) {
		return switch (kind) {
			case "MATRIX" -> new Valuation.Travel(UUID.randomUUID(), 12, false, "matrix");
			case "ESTIMATED" -> new Valuation.Travel(null, 20, true, "estimated");
			default -> null;
		};
	}

	private static int minutes(List<Valuation.Valued> entries, EntryKind kind) {
		return entries.stream().filter((entry) -> entry.kind() == kind).mapToInt(Valuation.Valued::minutes).sum();
	}

}
