import { jest } from '@jest/globals'

// The default limit of every integration test and hook that names none (jest's is 5 s). They drive real go, git and
// node processes, which on a loaded 2-core machine take many times what they take on an idle one; the limit is there
// to end a hang, not to time the work.
jest.setTimeout(300_000)
