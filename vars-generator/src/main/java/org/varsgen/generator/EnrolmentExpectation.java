package org.varsgen.generator;

import java.util.OptionalLong;

/**
 * What the enrolled store must hold: the PK/KEK certificate from the OEM string, whether the
 * Microsoft defaults were asked for (not with --no-default), and, when set, the second since the
 * epoch that every PK/KEK/db/dbx time stamp must show.
 */
public record EnrolmentExpectation(byte[] certificateDer, boolean noDefault, OptionalLong timeStampEpoch) {
}
