// The benchmark's generator: always well-formed, so instances per request is 1 and the
// engine-vs-bare-SDK ratio compares like with like.
import { agoraResponder } from '../test/support/agora-responder.js';

export default agoraResponder({});
