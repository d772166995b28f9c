/**
 * Append-only audit trail in the spirit of NEN 7513, each record chained to the previous
 * by hash.
 */
@NullMarked
package nl.beeldzorg.audit;

import org.jspecify.annotations.NullMarked;
