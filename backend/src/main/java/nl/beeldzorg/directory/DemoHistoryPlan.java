package nl.beeldzorg.directory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import nl.beeldzorg.consult.ConsultKind;
import nl.beeldzorg.ledger.Resolution;
import nl.beeldzorg.ledger.WithoutVideo;
import nl.beeldzorg.security.Discipline;
import org.jspecify.annotations.Nullable;

/**
 * A programme year of made-up consults for demo mode, so the dashboard shows what it is
 * for at first start: the seven institutions of the cafetaria plan's capacity matrix,
 * each with its own staff of the SO function family (some disciplines too thin to show,
 * which the reports suppress), consults growing over the year, of every kind, most with
 * an outcome, a few never connected or missed. The same anchor day always gives the same
 * plan (a fixed random seed), so an interrupted seed continues where it stopped.
 */
final class DemoHistoryPlan {

	/** Periods are Dutch calendar days. */
	static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

	/** The five disciplines, in the matrix's order. */
	private static final Discipline[] FAMILY = { Discipline.SO, Discipline.BA, Discipline.VS, Discipline.PA,
			Discipline.GZP };

	/**
	 * The institutions: the demo's two and five more, with staff per discipline (SO, BA,
	 * VS, PA, GZP) and how often their consultants record an outcome.
	 */
	static final List<Staffing> STAFFING = List.of(
			new Staffing("zga", "Zorggroep Apeldoorn", new int[] { 4, 3, 3, 3, 3 }, 0.95, null),
			new Staffing("atlant", "Atlant", new int[] { 3, 3, 3, 3, 2 }, 0.9, null),
			new Staffing("nusantara", "Nusantara", new int[] { 3, 2, 3, 3, 3 }, 0.85,
					new double[] { 52.2155, 5.9430, 52.2050, 5.9850 }),
			new Staffing("wzu-veluwe", "WZU Veluwe", new int[] { 3, 3, 2, 3, 1 }, 0.8,
					new double[] { 52.3480, 5.9870, 52.2990, 5.9560 }),
			new Staffing("sensire", "Sensire – Zutphen", new int[] { 4, 3, 3, 1, 3 }, 0.7,
					new double[] { 52.1400, 6.1960, 52.1180, 6.2370 }),
			new Staffing("den-bouw", "Den Bouw", new int[] { 3, 1, 3, 0, 1 }, 0.9,
					new double[] { 52.1860, 5.6150, 52.1560, 5.6400 }),
			new Staffing("szmk", "SZMK", new int[] { 3, 0, 3, 3, 1 }, 0.75,
					new double[] { 52.0900, 6.1600, 52.1050, 6.1200 }));

	/** Postcode areas of patients at home (IMOZ), as demo mode seeds them. */
	private static final String[] HOME_AREAS = { "7311", "7331", "7339", "7325" };

	private DemoHistoryPlan() {
	}

	/**
	 * @param anchor the day the history ends (exclusive): the first start's day
	 * @param locations each institution's care locations
	 * @return the consults, oldest first
	 */
	static List<HistoryConsult> consults(LocalDate anchor, java.util.Map<String, List<String>> locations) {
		Random random = new Random(20_260_101L);
		List<HistoryConsult> consults = new ArrayList<>();
		YearMonth last = YearMonth.from(anchor);
		java.util.Set<String> inQuarter = new java.util.HashSet<>();
		for (int m = 0; m < 12; m++) {
			YearMonth month = last.minusMonths(11 - m);
			int days = (month.equals(last)) ? anchor.getDayOfMonth() - 1 : month.lengthOfMonth();
			if (days < 1) {
				continue;
			}
			// Adoption grows over the year. A consultant without a consult in a quarter's
			// first two months gets one in its last, so a quarter's cells rest on all of
			// the institution's consultants of a discipline (or stay suppressed).
			double rate = 0.35 + 0.5 * m / 11.0;
			boolean quarterEnd = month.getMonthValue() % 3 == 0 || m == 11;
			if ((month.getMonthValue() - 1) % 3 == 0) {
				inQuarter.clear();
			}
			for (Staffing staffing : STAFFING) {
				for (Consultant consultant : consultants(staffing, locations)) {
					int count = ((random.nextDouble() < rate) ? 1 : 0) + ((random.nextDouble() < rate * 0.6) ? 1 : 0)
							+ ((consultant.discipline() == Discipline.SO && random.nextDouble() < rate) ? 1 : 0);
					boolean owed = quarterEnd && count == 0 && !inQuarter.contains(consultant.userId());
					count = owed ? 1 : count;
					for (int i = 0; i < count; i++) {
						LocalDate day = month.atDay(1 + random.nextInt(days));
						HistoryConsult consult = consult(random, consults.size(), staffing, consultant, day,
								locations.get(staffing.id()), owed);
						consults.add(consult);
						if (!consult.missed()) {
							inQuarter.add(consultant.userId());
						}
					}
				}
			}
		}
		consults.sort(java.util.Comparator.comparing(HistoryConsult::createdAt));
		return consults;
	}

	/**
	 * @param staffing an institution's staff
	 * @param locations each institution's care locations
	 * @return its consultants, each with a base among its locations
	 */
	static List<Consultant> consultants(Staffing staffing, java.util.Map<String, List<String>> locations) {
		List<String> own = locations.get(staffing.id());
		List<Consultant> consultants = new ArrayList<>();
		for (int d = 0; d < FAMILY.length; d++) {
			for (int n = 1; n <= staffing.staff()[d]; n++) {
				String id = id("staff:" + staffing.id() + ":" + FAMILY[d] + ":" + n).toString();
				consultants.add(new Consultant(id, FAMILY[d], own.get((d + n) % own.size())));
			}
		}
		return consultants;
	}

	private static HistoryConsult consult(Random random, int index, Staffing staffing, Consultant consultant,
			LocalDate day, List<String> locations, boolean connects) {
		double k = random.nextDouble();
		ConsultKind kind = (consultant.discipline() == Discipline.SO && k < 0.1) ? ConsultKind.IMOZ
				: (k < 0.3) ? ConsultKind.ANW : (k < 0.38) ? ConsultKind.EXPERT : ConsultKind.BEDSIDE;
		// Out-of-hours consults in the evening and night, the others in the day.
		LocalTime time = (kind == ConsultKind.ANW) ? LocalTime.of((18 + random.nextInt(12)) % 24, random.nextInt(60))
				: LocalTime.of(8 + random.nextInt(9), random.nextInt(60));
		Instant created = day.atTime(time).atZone(ZONE).toInstant();
		Instant accepted = created.plusSeconds(20 + random.nextInt(160));
		double fate = connects ? 1.0 : random.nextDouble();
		boolean missed = fate < 0.03;
		boolean connected = !missed && fate >= 0.07;
		Instant connectedAt = connected ? accepted.plusSeconds(2 + random.nextInt(12)) : null;
		Instant ended = missed ? created.plusSeconds(180) : accepted.plusSeconds(240 + random.nextInt(1200));
		Outcome outcome = null;
		if (connected && random.nextDouble() < staffing.outcomeRate()) {
			double r = random.nextDouble();
			double w = random.nextDouble();
			outcome = new Outcome(
					(r < 0.7) ? Resolution.RESOLVED_REMOTELY
							: (r < 0.9) ? Resolution.VISIT_STILL_NEEDED : Resolution.REFERRED,
					(w < 0.55) ? WithoutVideo.PHYSICAL_VISIT
							: (w < 0.85) ? WithoutVideo.PHONE_CALL
									: (w < 0.95) ? WithoutVideo.NEXT_REGULAR_VISIT : WithoutVideo.NOTHING,
					(random.nextDouble() < 0.3) ? 5 + 5 * random.nextInt(5) : null);
		}
		String location = (kind == ConsultKind.IMOZ) ? null : pickOther(random, locations, consultant.base());
		String homeArea = (kind == ConsultKind.IMOZ) ? HOME_AREAS[random.nextInt(HOME_AREAS.length)] : null;
		String requester = (kind == ConsultKind.IMOZ) ? id("huisarts:" + random.nextInt(4)).toString()
				: id("nurse:" + staffing.id() + ":" + random.nextInt(6)).toString();
		Discipline requesterDiscipline = (kind == ConsultKind.IMOZ) ? Discipline.HUISARTS : Discipline.NURSE;
		String clientRef = "K-" + (1000 + random.nextInt(9000));
		return new HistoryConsult(id("consult:" + index), kind, staffing.id(), location, homeArea, clientRef, requester,
				requesterDiscipline, consultant, created, missed ? null : accepted, connectedAt, ended, missed,
				outcome);
	}

	private static String pickOther(Random random, List<String> locations, String base) {
		String pick = locations.get(random.nextInt(locations.size()));
		return (pick.equals(base) && locations.size() > 1) ? pickOther(random, locations, base) : pick;
	}

	static UUID id(String name) {
		return UUID.nameUUIDFromBytes(("beeldzorg-demo-history:" + name).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * An institution of the history.
	 *
	 * @param id institution id
	 * @param name its name, as the cafetaria plan writes it
	 * @param staff consultants per discipline: SO, BA, VS, PA, GZP
	 * @param outcomeRate the share of connected consults whose outcome gets recorded
	 * @param coordinates for an institution demo mode does not know yet: two care
	 * locations (latitude, longitude, latitude, longitude)
	 */
	record Staffing(String id, String name, int[] staff, double outcomeRate, double @Nullable [] coordinates) {
	}

	/**
	 * @param userId a pseudonymous consultant id (no sign-in user)
	 * @param discipline the consultant's discipline
	 * @param base the location the consultant drives from
	 */
	record Consultant(String userId, Discipline discipline, String base) {
	}

	/**
	 * @param resolution how it was resolved
	 * @param withoutVideo what would have happened without video
	 * @param handoverMinutes the consultant's own estimate, if given
	 */
	record Outcome(Resolution resolution, WithoutVideo withoutVideo, @Nullable Integer handoverMinutes) {
	}

	/**
	 * One consult of the history.
	 *
	 * @param id its id
	 * @param kind its kind
	 * @param institutionId whose
	 * @param locationId the care location (absent for a patient at home)
	 * @param homeArea the postcode area of a patient at home (IMOZ)
	 * @param clientRef pseudonymous client reference
	 * @param requestedBy the requester
	 * @param requestedByDiscipline nurse or huisarts
	 * @param consultant who took it (or was rung, when missed)
	 * @param createdAt when it was asked
	 * @param acceptedAt when it was accepted, absent when missed
	 * @param connectedAt when media flowed, absent when it never did
	 * @param endedAt when it ended
	 * @param missed whether nobody answered
	 * @param outcome the recorded outcome, absent when never recorded
	 */
	record HistoryConsult(UUID id, ConsultKind kind, String institutionId, @Nullable String locationId,
			@Nullable String homeArea, String clientRef, String requestedBy, Discipline requestedByDiscipline,
			Consultant consultant, Instant createdAt, @Nullable Instant acceptedAt, @Nullable Instant connectedAt,
			Instant endedAt, boolean missed, @Nullable Outcome outcome) {
	}

}
