import BrickctlTestSupport
import Testing

/// Every integration test runs inside this suite, one at a time: they share the machine's loop
/// devices, mount table and glusterd lab, and some compare the whole machine's view.
@Suite(.serialized, .offCooperativePool) enum Integration {}
