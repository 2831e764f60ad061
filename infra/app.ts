import { App } from 'aws-cdk-lib';
import { buildServiceApp } from './service-app';

buildServiceApp(new App());
