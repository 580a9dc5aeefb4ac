import { runActionPost } from './run/action.js'

await runActionPost()
