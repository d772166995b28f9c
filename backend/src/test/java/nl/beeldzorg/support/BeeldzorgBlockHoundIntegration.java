package nl.beeldzorg.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound may let pass on event-loop threads, and why. Everything else that
 * blocks fails the test that triggered it.
 */
public class BeeldzorgBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// Random ids and JOSE signatures read /dev/urandom, which never blocks once the
		// kernel's pool is seeded (it is, long before a server accepts requests).
		builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
		builder.allowBlockingCallsInside("java.security.SecureRandom", "nextBytes");
		// Hibernate Validator reads its message bundle from the class path once, at the
		// first constraint violation, and caches it: like class loading.
		builder.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
				"loadBundle");
		// The WebJars locator reads a webjar's pom.properties from the class path once
		// per
		// webjar, at its first request, and caches the version.
		builder.allowBlockingCallsInside("org.webjars.WebJarVersionLocator", "version");
		// Jackson builds a type's (de)serializer once, under a short lock, and caches it:
		// two first requests of a type at the same moment wait on each other once.
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		builder.allowBlockingCallsInside("tools.jackson.databind.ser.SerializerCache",
				"addAndResolveNonTypedSerializer");
		// The JDK's RSA signing guards its blinding values with a lock held for a few
		// instructions; two tokens signed at the same moment (two pages signing in) meet
		// there.
		builder.allowBlockingCallsInside("sun.security.rsa.RSACore", "getBlindingRandomPair");
		// Lettuce guards a connection's writers with a lock that a reconnect holds for a
		// moment; a command written meanwhile waits there. An error thrown from inside
		// that wait leaves the lock half taken, and the next writer spins on it for ever
		// (seen in a test run: a node's context never closed, one core busy).
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
	}

}
