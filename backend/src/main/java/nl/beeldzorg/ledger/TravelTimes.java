package nl.beeldzorg.ledger;

import java.time.LocalDate;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * How long a consultant would have driven: from the base that applied on the consult's
 * day to the consult's location, one way. From the travel-time matrix when it has the
 * pair, else estimated from coordinates (and marked so).
 */
@Component
class TravelTimes {

	/** Road distance is about this much longer than the straight line in this region. */
	static final double ROAD_FACTOR = 1.3;

	/** Average speed between care locations, km/h. */
	static final double SPEED_KMH = 50;

	private final DatabaseClient db;

	TravelTimes(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * @param consultantId the consultant
	 * @param locationId the consult's location
	 * @param day the consult's day
	 * @return the travel, or empty when the consultant has no base or an estimate lacks
	 * coordinates
	 */
	Mono<Valuation.Travel> oneWay(String consultantId, String locationId, LocalDate day) {
		return base(consultantId, day)
			.flatMap((base) -> fromMatrix(base, locationId, day).switchIfEmpty(estimate(base, locationId)));
	}

	/**
	 * A home visit's one-way travel: from the consultant's base to the centre of the
	 * patient's postcode area, estimated from coordinates.
	 * @param consultantId the consultant
	 * @param homeArea the patient's 4-digit postcode area
	 * @param day the consult's day
	 * @return the travel, or empty without a base or without the area's centre
	 */
	Mono<Valuation.Travel> toHomeArea(String consultantId, String homeArea, LocalDate day) {
		return base(consultantId, day)
			.flatMap((base) -> this.db.sql("SELECT id, latitude, longitude FROM location WHERE id = :id")
				.bind("id", base)
				.map(TravelTimes::point)
				.one())
			.zipWith(this.db.sql("SELECT code AS id, latitude, longitude FROM home_area WHERE code = :code")
				.bind("code", homeArea)
				.map(TravelTimes::point)
				.one())
			.flatMap((both) -> estimated(both.getT1(), both.getT2(), "home area " + homeArea));
	}

	private Mono<String> base(String consultantId, LocalDate day) {
		return this.db
			.sql("SELECT location_id FROM consultant_base WHERE user_id = :user AND valid_from <= :day"
					+ " ORDER BY valid_from DESC LIMIT 1")
			.bind("user", consultantId)
			.bind("day", day)
			.map((row) -> row.get("location_id", String.class))
			.one();
	}

	private Mono<Valuation.Travel> fromMatrix(String base, String locationId, LocalDate day) {
		return this.db
			// Only an entry between two locations of one institution values a consult:
			// one
			// institution's admin cannot set the travel that values another's (entries
			// across institutions stored before that rule are passed over, and the trip
			// is estimated from coordinates).
			.sql("SELECT t.id, t.minutes FROM travel_time t JOIN location f ON f.id = t.from_location_id"
					+ " JOIN location l ON l.id = t.to_location_id AND l.institution_id = f.institution_id"
					+ " WHERE t.from_location_id = :from AND t.to_location_id = :to AND t.valid_from <= :day"
					+ " ORDER BY t.valid_from DESC LIMIT 1")
			.bind("from", base)
			.bind("to", locationId)
			.bind("day", day)
			.map((row) -> new Valuation.Travel(row.get("id", UUID.class), row.get("minutes", Integer.class), false,
					"travel-time matrix " + base + " to " + locationId))
			.one();
	}

	private Mono<Valuation.Travel> estimate(String base, String locationId) {
		if (base.equals(locationId)) {
			return Mono.just(new Valuation.Travel(null, 0, true, "base is the location"));
		}
		return this.db.sql("SELECT id, latitude, longitude FROM location WHERE id IN (:from, :to)")
			.bind("from", base)
			.bind("to", locationId)
			.map(TravelTimes::point)
			.all()
			.collectMap(Point::id)
			.flatMap((points) -> estimated(points.get(base), points.get(locationId), locationId));
	}

	private static Mono<Valuation.Travel> estimated(@Nullable Point from, @Nullable Point to, String destination) {
		if (from == null || to == null || from.latitude() == null || to.latitude() == null) {
			return Mono.empty();
		}
		double km = haversineKm(from, to) * ROAD_FACTOR;
		int minutes = (int) Math.max(1, Math.round(km / SPEED_KMH * 60));
		return Mono.just(new Valuation.Travel(null, minutes, true, String.format(java.util.Locale.ROOT,
				"estimated from coordinates to %s: %.1f km by road at %.0f km/h", destination, km, SPEED_KMH)));
	}

	static double haversineKm(Point a, Point b) {
		double lat1 = Math.toRadians(a.latitude());
		double lat2 = Math.toRadians(b.latitude());
		double dLat = lat2 - lat1;
		double dLon = Math.toRadians(b.longitude() - a.longitude());
		double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
				+ Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
		return 2 * 6371.0 * Math.asin(Math.sqrt(h));
	}

	private static Point point(Readable row) {
		return new Point(row.get("id", String.class), row.get("latitude", Double.class),
				row.get("longitude", Double.class));
	}

	record Point(String id, @Nullable Double latitude, @Nullable Double longitude) {
	}

}
