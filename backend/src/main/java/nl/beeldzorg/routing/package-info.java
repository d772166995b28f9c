/**
 * Who rings: consultants' availability and reachability, expertise, the ANW on-call
 * roster, and the ring plan of a consult (stages rung one after another).
 */
@NullMarked
package nl.beeldzorg.routing;

import org.jspecify.annotations.NullMarked;
