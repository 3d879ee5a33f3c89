/** Entry of the standalone dashboard bundle (served by the backend at `/`). */
import '../app/components';
import '../app/dashboard-app';
import { createHttpHost } from '../hosts/http-host';

const app = document.createElement('cairn-dashboard') as HTMLElement & { host: unknown };
app.host = createHttpHost();
document.body.append(app);
