import { runActionMain } from './run/action.js'

await runActionMain()
