package nl.beeldzorg.cluster;

/**
 * This node among the installation's nodes, for as long as it runs.
 *
 * @param value a random id
 */
public record NodeId(String value) {
}
