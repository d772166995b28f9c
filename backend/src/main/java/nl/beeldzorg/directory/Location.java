package nl.beeldzorg.directory;

/**
 * A care location (nursing home, small-scale living) of an institution.
 *
 * @param id stable id, e.g. {@code zga-de-sprengel}
 * @param name its name
 * @param institutionId the institution that runs it
 * @param subregion the ANW subregion it belongs to
 */
public record Location(String id, String name, String institutionId, String subregion) {
}
