/**
 * Time saved per consult: outcomes, valuation rules, travel times and the append-only
 * ledger of minutes saved and lost.
 */
@NullMarked
package nl.beeldzorg.ledger;

import org.jspecify.annotations.NullMarked;
