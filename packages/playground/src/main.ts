import './style.css';
import { SurfaceLab } from './surface-lab.js';
import { TrainingLab } from './training-lab.js';

new SurfaceLab(document.querySelector<HTMLElement>('#surface-lab')!);
new TrainingLab(document.querySelector<HTMLElement>('#training-lab')!);
