export { createScratchDatabase, type ScratchDatabase } from "../../../test/postgres";
