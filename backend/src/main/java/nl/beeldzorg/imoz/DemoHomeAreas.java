package nl.beeldzorg.imoz;

import java.util.Map;

import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Flux;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Demo mode: the centres of a few Apeldoorn postcode areas, once, so a video IMOZ
 * consult's saved home visit can be valued.
 */
@Component
@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
class DemoHomeAreas implements ApplicationRunner {

	private static final Map<String, double[]> AREAS = Map.of("7311", new double[] { 52.2112, 5.9699 }, "7331",
			new double[] { 52.1920, 5.9570 }, "7339", new double[] { 52.1790, 5.9270 }, "7325",
			new double[] { 52.2310, 5.9900 });

	private final ImozRepository repository;

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	DemoHomeAreas(ImozRepository repository, DatabaseClient db, DatabaseScheduler scheduler) {
		this.repository = repository;
		this.db = db;
		this.scheduler = scheduler;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.scheduler
			.run(this.db.sql("SELECT COUNT(*) AS n FROM home_area")
				.map((row) -> row.get("n", Long.class))
				.one()
				.filter((n) -> n == 0)
				.flatMapMany((none) -> Flux.fromIterable(AREAS.entrySet()))
				.concatMap((area) -> this.repository.homeArea(area.getKey(), area.getValue()[0], area.getValue()[1]))
				.then())
			.block();
	}

}
