package nl.beeldzorg.directory;

import org.jspecify.annotations.Nullable;

/**
 * A care location (nursing home, small-scale living) of an institution.
 *
 * @param id stable id, e.g. {@code zga-de-sprengel}
 * @param name its name
 * @param institutionId the institution that runs it
 * @param subregion the ANW subregion it belongs to
 * @param latitude WGS84 latitude, for travel-time estimates
 * @param longitude WGS84 longitude
 */
public record Location(String id, String name, String institutionId, String subregion, @Nullable Double latitude,
		@Nullable Double longitude) {
}
