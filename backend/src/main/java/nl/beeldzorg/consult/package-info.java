/**
 * The consult: lifecycle, routing, inbox, events.
 */
@NullMarked
package nl.beeldzorg.consult;

import org.jspecify.annotations.NullMarked;
