package nl.beeldzorg.directory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nl.beeldzorg.security.Discipline;
import org.jspecify.annotations.Nullable;

/**
 * The seeded world of demo mode: two institutions of the Apeldoorn-Zutphen programme with
 * their locations, and one demo user for each role a newcomer wants to try.
 */
public final class DemoDirectory {

	/** The demo institutions. */
	public static final List<Institution> INSTITUTIONS = List.of(
			new Institution("zga", "Zorggroep Apeldoorn", "055 000 00 01"),
			new Institution("atlant", "Atlant", "055 000 00 02"));

	/** The demo region's ANW subregions (kept by the programme office). */
	public static final List<Subregions.Subregion> SUBREGIONS = List.of(
			new Subregions.Subregion("apeldoorn-noord", "Apeldoorn-Noord"),
			new Subregions.Subregion("apeldoorn-zuid", "Apeldoorn-Zuid"));

	/** The demo care locations. */
	public static final List<Location> LOCATIONS = List.of(
			new Location("zga-de-sprengel", "De Sprengel", "zga", "apeldoorn-noord", 52.2261, 5.9577),
			new Location("zga-berg-en-bos", "Berg en Bos", "zga", "apeldoorn-noord", 52.229, 5.927),
			new Location("zga-de-heemhof", "De Heemhof", "zga", "apeldoorn-zuid", 52.193, 5.98),
			new Location("atlant-sparrenheuvel", "Sparrenheuvel", "atlant", "apeldoorn-zuid", 52.153, 5.979),
			new Location("atlant-de-boskamp", "De Boskamp", "atlant", "apeldoorn-zuid", 52.146, 5.965),
			new Location("atlant-de-hooge-weide", "De Hooge Weide", "atlant", "apeldoorn-noord", 52.246, 5.987));

	/**
	 * Where demo consultants would drive from, and the travel-time matrix entries
	 * (one-way minutes) the demo knows; other trips are estimated from coordinates.
	 */
	public static final List<Base> BASES = List.of(new Base("so.sophie", "zga-berg-en-bos"),
			new Base("so.lotte", "zga-de-heemhof"), new Base("ba.bas", "zga-berg-en-bos"),
			new Base("vs.vera", "zga-de-sprengel"), new Base("so.daan", "atlant-sparrenheuvel"),
			new Base("pa.pieter", "atlant-de-boskamp"), new Base("gzp.gerda", "atlant-sparrenheuvel"));

	/** One-way travel minutes between demo locations. */
	public static final List<Trip> TRIPS = List.of(new Trip("zga-berg-en-bos", "zga-de-sprengel", 12),
			new Trip("zga-berg-en-bos", "zga-de-heemhof", 17), new Trip("atlant-sparrenheuvel", "atlant-de-boskamp", 9),
			new Trip("atlant-sparrenheuvel", "atlant-de-hooge-weide", 24));

	/** The demo users, by user name. */
	public static final List<DemoUser> USERS = List.of(
			user("nurse.anna", "Anna de Vries", Discipline.NURSE, "zga", null, List.of()),
			user("nurse.bram", "Bram Jansen", Discipline.NURSE, "atlant", null, List.of()),
			user("so.sophie", "Sophie Bakker", Discipline.SO, "zga", null, List.of()),
			user("so.lotte", "Lotte Visser", Discipline.SO, "zga", null, List.of()),
			user("so.daan", "Daan Smit", Discipline.SO, "atlant", null, List.of()),
			user("ba.bas", "Bas Mulder", Discipline.BA, "zga", null, List.of()),
			user("vs.vera", "Vera de Boer", Discipline.VS, "zga", null, List.of()),
			user("pa.pieter", "Pieter Meijer", Discipline.PA, "atlant", null, List.of()),
			user("gzp.gerda", "Gerda Bos", Discipline.GZP, "atlant", null, List.of()),
			user("ha.huib", "Huib van Dijk", Discipline.HUISARTS, null, "hap-apeldoorn-zuid", List.of()),
			user("ha.hanna", "Hanna Hendriks", Discipline.HUISARTS, null, "praktijk-ugchelen", List.of()),
			user("admin.ada", "Ada Hendriks", Discipline.NURSE, "zga", null, List.of("ADMIN")),
			user("programme.pim", "Pim de Wit", null, null, null, List.of("PROGRAMME")));

	private DemoDirectory() {
	}

	/**
	 * @param username a demo user name
	 * @return that user
	 */
	public static Optional<DemoUser> user(String username) {
		return USERS.stream().filter((user) -> user.username().equals(username)).findFirst();
	}

	private static DemoUser user(String username, String name, @Nullable Discipline discipline,
			@Nullable String institution, @Nullable String practice, List<String> roles) {
		String userId = UUID.nameUUIDFromBytes(("beeldzorg-demo:" + username).getBytes(StandardCharsets.UTF_8))
			.toString();
		return new DemoUser(userId, username, name, discipline, institution, practice, roles);
	}

	/**
	 * An institution (zorgorganisatie): a tenant.
	 *
	 * @param id stable id
	 * @param name its name
	 * @param fallbackPhone the (made-up) number to call when nobody answered
	 */
	public record Institution(String id, String name, String fallbackPhone) {
	}

	/**
	 * A consultant's base.
	 *
	 * @param username the demo user
	 * @param locationId where they drive from
	 */
	public record Base(String username, String locationId) {
	}

	/**
	 * A travel-time matrix entry.
	 *
	 * @param from base location
	 * @param to care location
	 * @param minutes one way
	 */
	public record Trip(String from, String to, int minutes) {
	}

	/**
	 * A demo user, as listed by {@code GET /demo/users}.
	 *
	 * @param userId the {@code sub} of the user's tokens
	 * @param username the name to ask a token for
	 * @param name display name
	 * @param discipline profession; absent for programme-office staff
	 * @param institution institution id; absent for a huisarts and the programme office
	 * @param practice a huisarts's practice
	 * @param roles extra rights
	 */
	public record DemoUser(String userId, String username, String name, @Nullable Discipline discipline,
			@Nullable String institution, @Nullable String practice, List<String> roles) {
	}

}
